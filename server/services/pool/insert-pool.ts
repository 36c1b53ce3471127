import "server-only";
import { pools, type PoolProtocol } from "@/db/schema";
import type { Database } from "@/db/client";
import { AppError } from "../../errors";
import { stickySessionColumns, stickySessionIssues, type PoolFieldsInput } from "./pool.schemas";
import { clientIpTransportIssues, DEFAULT_CLIENT_IP_TRANSPORT } from "./client-ip-transport";

/**
 * Inserts a backend server group inside the caller's transaction, re-checking the sticky session rules
 * of table 10-1 and the Client IP Transport choices for the protocol it really gets. Returns the new id.
 */
export async function insertPool(
  tx: Database,
  loadBalancerId: string,
  fields: Pick<PoolFieldsInput, "name" | "description" | "algorithm" | "stickySession" | "clientIpTransport"> & { protocol: PoolProtocol },
  fieldPrefix = "",
): Promise<string> {
  const issue = [...stickySessionIssues(fields.protocol, fields.algorithm, fields.stickySession), ...clientIpTransportIssues(fields.protocol, fields.clientIpTransport)][0];
  if (issue) throw new AppError("BAD_REQUEST", issue.message, fieldPrefix + issue.path.join("."));
  const [row] = await tx
    .insert(pools)
    .values({
      loadBalancerId,
      name: fields.name,
      description: fields.description ?? "",
      protocol: fields.protocol,
      algorithm: fields.algorithm,
      ...stickySessionColumns(fields.algorithm, fields.stickySession),
      clientIpTransport: fields.clientIpTransport ?? DEFAULT_CLIENT_IP_TRANSPORT,
    })
    .returning({ id: pools.id });
  return row!.id;
}
