import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { listeners, type ListenerProtocol } from "@/db/schema";
import { AppError } from "../../errors";
import { portClassOf } from "./listener.schemas";

/**
 * Guide 3.2 on one load balancer: ports of the same protocol are unique, and TCP, HTTP and HTTPS share one
 * port space; only UDP may reuse a port of the others. Throws CONFLICT naming "Frontend Port".
 */
export async function checkFrontendPort(tx: Database, loadBalancerId: string, protocol: ListenerProtocol, port: number): Promise<void> {
  const taken = await tx
    .select({ name: listeners.name, protocol: listeners.protocol })
    .from(listeners)
    .where(and(eq(listeners.loadBalancerId, loadBalancerId), eq(listeners.port, port), eq(listeners.portClass, portClassOf(protocol))));
  const other = taken[0];
  if (!other) return;
  const rule =
    other.protocol === protocol
      ? "Listeners of the same protocol on one load balancer need different ports."
      : "TCP, HTTP and HTTPS listeners of one load balancer need different ports; only UDP may share a port with them.";
  throw new AppError("CONFLICT", `Frontend Port: ${port} is already used by ${other.protocol} listener ${other.name}. ${rule}`, "port");
}
