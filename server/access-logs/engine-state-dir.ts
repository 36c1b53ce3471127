import "server-only";
import path from "node:path";
import { dataDirectory } from "@/db/client";

/** The engine's state directory (as the control plane starts it), under which its access-log files live. */
export function engineStateDir(): string {
  return path.join(dataDirectory(), "engine");
}
