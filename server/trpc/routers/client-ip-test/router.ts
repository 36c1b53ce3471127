import "server-only";
import { createTRPCRouter, protectedProcedure } from "../../init";
import { clientIpTestSchema } from "../../../services/client-ip-test/client-ip-test.schemas";
import { runClientIpTest } from "../../../services/client-ip-test/run-client-ip-test";

/**
 * Test Client IP (listener page): runs the listener's settings in a test engine and returns what a
 * backend would see. A query, not an audited mutation: it changes no configuration, so it writes no
 * trace; the service refuses read-only users (it starts a process) and a second test of one listener.
 */
export const clientIpTestRouter = createTRPCRouter({
  run: protectedProcedure.input(clientIpTestSchema).query(({ ctx, input }) => runClientIpTest(ctx.service, input)),
});
