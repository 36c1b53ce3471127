import type { Algorithm, ClientIpTransport, PoolProtocol, StickySessionType } from "@/db/schema/pools";
import { randomNameSuffix } from "@/server/services/field-schemas";
import { DEFAULT_STICKINESS_MINUTES, stickinessDurationAllowed, stickySessionAllowed, stickySessionTypesFor, type PoolFieldsInput } from "@/server/services/pool/pool.schemas";
import type { PoolView } from "@/server/services/pool/pool-view";
import { numberOf } from "@/app/_lib/form-errors";
import { clientIpTransportsFor, DEFAULT_CLIENT_IP_TRANSPORT } from "@/server/services/pool/client-ip-transport";

/** What the backend server group form holds while the user types (numbers as text). */
export interface PoolDraft {
  name: string;
  description: string;
  protocol: PoolProtocol;
  algorithm: Algorithm;
  sticky: boolean;
  stickyType: StickySessionType;
  cookieName: string;
  duration: string;
  /** TCP/UDP: Client IP Transport (HTTP groups keep the unused default). */
  clientIpTransport: ClientIpTransport;
}

/** A new group: "server_group-xxxx", Weighted round robin, Sticky Session off, 20 min, Client IP Transport Transparent. */
export function newPoolDraft(protocol: PoolProtocol): PoolDraft {
  return {
    name: `server_group-${randomNameSuffix()}`,
    description: "",
    protocol,
    algorithm: "ROUND_ROBIN",
    sticky: false,
    stickyType: defaultStickyType(protocol, "ROUND_ROBIN"),
    cookieName: "",
    duration: String(DEFAULT_STICKINESS_MINUTES),
    clientIpTransport: DEFAULT_CLIENT_IP_TRANSPORT,
  };
}

/** The form for an existing group (Modify). */
export function poolDraftFromView(pool: PoolView): PoolDraft {
  return {
    name: pool.name,
    description: pool.description,
    protocol: pool.protocol,
    algorithm: pool.algorithm,
    sticky: pool.stickySession !== null,
    stickyType: pool.stickySession?.type ?? defaultStickyType(pool.protocol, pool.algorithm),
    cookieName: pool.stickySession?.cookieName ?? "",
    duration: String(pool.stickySession?.durationMinutes ?? DEFAULT_STICKINESS_MINUTES),
    clientIpTransport: pool.clientIpTransport,
  };
}

/** The first sticky session type table 10-1 offers (Weighted round robin's when the algorithm offers none). */
function defaultStickyType(protocol: PoolProtocol, algorithm: Algorithm): StickySessionType {
  return (stickySessionTypesFor(protocol, algorithm)[0] ?? stickySessionTypesFor(protocol, "ROUND_ROBIN")[0])!;
}

/**
 * Applies a change, keeping the draft consistent with table 10-1: a type the new protocol/algorithm does
 * not offer becomes the first one it does; Sticky Session turns off where no type is supported; a Client
 * IP Transport the protocol does not carry (PROXY protocol v1 on UDP) becomes Transparent.
 */
export function changePoolDraft(draft: PoolDraft, change: Partial<PoolDraft>): PoolDraft {
  const next = { ...draft, ...change };
  if (!stickySessionTypesFor(next.protocol, next.algorithm).includes(next.stickyType)) next.stickyType = defaultStickyType(next.protocol, next.algorithm);
  if (!stickySessionAllowed(next.protocol, next.algorithm)) next.sticky = false;
  if (!clientIpTransportsFor(next.protocol).includes(next.clientIpTransport)) next.clientIpTransport = DEFAULT_CLIENT_IP_TRANSPORT;
  return next;
}

/** The sticky session input of a draft: null when off; a duration only with Weighted round robin (guide 3.5). */
export function stickySessionOf(draft: PoolDraft): PoolFieldsInput["stickySession"] {
  if (!draft.sticky) return null;
  return {
    type: draft.stickyType,
    cookieName: draft.stickyType === "APP_COOKIE" ? draft.cookieName : undefined,
    durationMinutes: stickinessDurationAllowed(draft.algorithm) ? numberOf(draft.duration) : undefined,
  };
}

/** The group fields of a draft, as the schemas take them: Client IP Transport only for TCP/UDP groups. */
export function poolFieldsOf(draft: PoolDraft) {
  return {
    name: draft.name,
    description: draft.description,
    algorithm: draft.algorithm,
    stickySession: stickySessionOf(draft),
    ...(clientIpTransportsFor(draft.protocol).length > 0 && { clientIpTransport: draft.clientIpTransport }),
  };
}
