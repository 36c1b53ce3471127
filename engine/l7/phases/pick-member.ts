import type { PhaseOutcome, PhaseRequest, RequestPhase } from "./phase.types";

/**
 * The last request phase: the member of the request's backend server group — the one its sticky
 * cookie points at when that member may take traffic, else the balancer's pick (source-IP
 * stickiness lives inside `pool.pick`). No group → 503 (no_pool); no available member → 503 (no_member).
 */
class PickMemberPhase implements RequestPhase {
  readonly name = "pick-member";

  run(request: PhaseRequest): PhaseOutcome {
    const pool = request.pool;
    if (pool === null) {
      request.errorKind = "no_pool";
      return "respond";
    }
    const sticky = request.sticky;
    let member = sticky === null ? null : sticky.stuckMember(request.head, pool);
    request.stuck = member !== null;
    if (member === null) member = pool.pick(request.clientIp);
    if (member === null) {
      request.errorKind = "no_member";
      return "respond";
    }
    request.member = member;
    return "continue";
  }
}

/** The pick-member phase (stateless: one instance serves every route). */
export const PICK_MEMBER: RequestPhase = new PickMemberPhase();
