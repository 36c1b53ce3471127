import "server-only";
import { createTRPCRouter, mutationProcedure } from "../../init";
import { clientIpTestSchema } from "../../../services/client-ip-test/client-ip-test.schemas";
import { runClientIpTest } from "../../../services/client-ip-test/run-client-ip-test";

/**
 * Test Client IP (listener page): runs the listener's settings in a test engine and returns what a
 * backend would see. It changes no configuration, but it starts a process: an administrator-only,
 * traced mutation (a POST — a cross-site link cannot start it as it could a GET query); the service
 * also refuses a second test of one listener.
 */
export const clientIpTestRouter = createTRPCRouter({
  run: mutationProcedure
    .meta({ trace: { name: "test listener client IP", resourceType: "listener" } })
    .input(clientIpTestSchema)
    .mutation(({ ctx, input }) => runClientIpTest(ctx.service, input)),
});
