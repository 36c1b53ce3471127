import { z } from "zod";
import { idSchema } from "../field-schemas";

/** Test Client IP: the listener to test. */
export const clientIpTestSchema = z.object({ listenerId: idSchema("Listener: select a listener") });
