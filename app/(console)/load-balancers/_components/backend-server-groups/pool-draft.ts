import type { Algorithm, PoolProtocol, StickySessionType } from "@/db/schema/pools";
import { randomNameSuffix } from "@/server/services/field-schemas";
import { DEFAULT_STICKINESS_MINUTES, stickySessionAllowed, stickySessionTypesFor, type PoolFieldsInput } from "@/server/services/pool/pool.schemas";
import type { PoolView } from "@/server/services/pool/pool-view";
import { numberOf } from "@/app/_lib/form-errors";

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
}

/** A new group: "server_group-xxxx", Weighted round robin, Sticky Session off, 20 min. */
export function newPoolDraft(protocol: PoolProtocol): PoolDraft {
  return {
    name: `server_group-${randomNameSuffix()}`,
    description: "",
    protocol,
    algorithm: "ROUND_ROBIN",
    sticky: false,
    stickyType: stickySessionTypesFor(protocol)[0]!,
    cookieName: "",
    duration: String(DEFAULT_STICKINESS_MINUTES),
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
    stickyType: pool.stickySession?.type ?? stickySessionTypesFor(pool.protocol)[0]!,
    cookieName: pool.stickySession?.cookieName ?? "",
    duration: String(pool.stickySession?.durationMinutes ?? DEFAULT_STICKINESS_MINUTES),
  };
}

/** Applies a change, keeping the draft consistent: a new protocol resets the sticky type; only WRR keeps stickiness. */
export function changePoolDraft(draft: PoolDraft, change: Partial<PoolDraft>): PoolDraft {
  const next = { ...draft, ...change };
  if (change.protocol && change.protocol !== draft.protocol) next.stickyType = stickySessionTypesFor(change.protocol)[0]!;
  if (!stickySessionAllowed(next.algorithm)) next.sticky = false;
  return next;
}

/** The sticky session input of a draft: null when off. */
export function stickySessionOf(draft: PoolDraft): PoolFieldsInput["stickySession"] {
  if (!draft.sticky) return null;
  return {
    type: draft.stickyType,
    cookieName: draft.stickyType === "APP_COOKIE" ? draft.cookieName : undefined,
    durationMinutes: numberOf(draft.duration),
  };
}

/** The group fields of a draft, as the schemas take them. */
export function poolFieldsOf(draft: PoolDraft) {
  return { name: draft.name, description: draft.description, algorithm: draft.algorithm, stickySession: stickySessionOf(draft) };
}
