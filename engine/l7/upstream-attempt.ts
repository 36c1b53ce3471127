import { isDescriptorExhaustion, reportDescriptorExhaustion } from "../observe/descriptor-limit";
import { memberFailed } from "../pools/passive-ejection";
import type { MemberRuntime } from "../pools/pool-runtime.types";
import { DESCRIPTOR_SHORTAGE_STATUS } from "./errors";
import type { AttemptExchange } from "./exchange.types";
import { attemptFailedDetail, attemptStarted } from "./request-detail";
import { Retry, retryDecision } from "./retry-policy";
import type { UpstreamConnection } from "./upstream-connection";

/**
 * One request's way to a backend connection, and its failover — an HTTP/1 request's or an HTTP/2
 * stream's (h2/stream-exchange.ts), through the `AttemptExchange` view. The member the phases chose is
 * counted (`PoolRuntime.acquire`, released when the request ends), a keep-alive connection to it is
 * reused or a new one opened while the member is under `maxConnectionsPerMember` — a member at its
 * cap is skipped for the balancer's next pick (exclusion set); none left → 503 member_busy — and the
 * head (with a buffered body) goes out in one write.
 *
 * A connection that fails before any response byte is retried when safe (retry-policy.ts): a connect
 * that failed or timed out → another member, and the member counts a failure toward its passive
 * ejection (pools/passive-ejection.ts); a reused keep-alive connection that died under an idempotent
 * request → a fresh one. A streamed body byte rules both out; a buffered body is sent again. A connect
 * that failed for lack of file descriptors (EMFILE/ENFILE) is the engine's problem, not the member's:
 * no failure counted, no failover, `internal` to the observer, one count in the process's rate-limited
 * descriptor log (observe/descriptor-limit.ts), 503 to the client (errors.ts DESCRIPTOR_SHORTAGE_STATUS).
 */

/** Counts `member`, takes a backend connection and sends the head (on another member when it is at its cap). */
export function connectMember(x: AttemptExchange, member: MemberRuntime): void {
  if (!assign(x, member)) return x.fail("internal", null);
  if (!sendHead(x, true)) x.fail("member_busy", null);
}

/** Stops counting the request's member (`PoolRuntime.release`); the record keeps naming it. */
export function releaseCountedMember(x: AttemptExchange): void {
  const member = x.member;
  if (member !== null) {
    x.record.member = member;
    x.member = null;
    x.pool!.release(member);
  }
}

/**
 * Connects a request whose small body was read whole first (body-buffer.ts): to `chosen`, the member
 * the phases picked at its head, or — if it became unavailable meanwhile — the balancer's next pick
 * (no longer the sticky one); none left → 503 no_member.
 */
export function connectChosen(x: AttemptExchange, chosen: MemberRuntime): void {
  let member = chosen;
  const pool = x.pool!;
  if (!pool.isAvailable(member)) {
    const next = pool.pick(x.clientIp);
    if (next === null) return x.fail("no_member", null);
    member = next;
    x.stuck = false;
  }
  connectMember(x, member);
}

/**
 * The backend connection `up` failed before the response head was complete (it is already destroyed
 * and no longer the exchange's): stop counting it against the member's cap, then retry, or answer.
 */
export function attemptFailed(x: AttemptExchange, up: UpstreamConnection, err: Error | null): void {
  x.target!.discard(up); // no longer counted against the member's cap: a retry may replace it
  attemptFailedDetail(x.record, up.timedOut);
  if (!up.connected && isDescriptorExhaustion(err)) return outOfDescriptors(x, err as NodeJS.ErrnoException);
  const responseSeen = x.responseSeen;
  const kind = responseSeen ? "bad_response" : up.connected ? "backend_reset" : up.timedOut ? "connect_timeout" : "connect_failed";
  if (!up.connected && x.member !== null) memberFailed(x.member, x.conn.proxy.options.ejection); // passive health
  if (!responseSeen && retry(x, up)) {
    const context = x.conn.context;
    context.observer.error(context, kind, err); // every failed attempt is an error event; the request's record keeps the outcome
    return;
  }
  x.fail(kind, err);
}

/** The engine is out of descriptors: every other member would fail alike, and this one did nothing wrong. */
function outOfDescriptors(x: AttemptExchange, err: NodeJS.ErrnoException): void {
  const member = x.member;
  reportDescriptorExhaustion(x.conn.context, err, "connect", member === null ? "" : `${member.config.address}:${member.config.port}`);
  x.answerStatus("internal", DESCRIPTOR_SHORTAGE_STATUS);
}

/** Safe retry before any response byte (retry-policy.ts); true when a new attempt is under way. */
function retry(x: AttemptExchange, failed: UpstreamConnection): boolean {
  const decision = retryDecision({
    connected: failed.connected,
    reused: failed.reused,
    idempotent: x.idempotent,
    bodyBytesSent: x.bodyBytesSent, // a buffered body is not counted: it can be sent again
    tries: x.tries,
    maxTries: x.conn.proxy.options.maxTries,
  });
  if (decision === Retry.FRESH_CONNECTION) return sendHead(x, false);
  if (decision !== Retry.OTHER_MEMBER) return false;
  return nextMember(x) && sendHead(x, true);
}

/**
 * Moves the request to the balancer's next choice, the current member excluded (it failed or is at
 * its connection cap); false when no member is left.
 */
function nextMember(x: AttemptExchange): boolean {
  const excluded = (x.excluded ??= new Set());
  excluded.add(x.member!);
  const next = x.pool!.pick(x.clientIp, excluded);
  if (next === null || !assign(x, next)) return false;
  x.stuck = false; // a new member: the response re-issues the load balancer cookie
  return true;
}

/** Counts `member` for this request (the previous one released) with its connection pool; false when the route has none for it. */
function assign(x: AttemptExchange, member: MemberRuntime): boolean {
  const target = x.route!.targets.get(member);
  if (target === undefined) return false;
  x.releaseMember();
  x.pool!.acquire(member);
  x.member = member;
  x.target = target;
  return true;
}

/**
 * Sends the head on a connection to the assigned member: an idle one when `reuse`, else a new one
 * while the member is under `maxConnectionsPerMember`; a member at its cap is skipped for the next
 * pick. False when every candidate is at its cap (nothing was sent).
 */
function sendHead(x: AttemptExchange, reuse: boolean): boolean {
  const o = x.conn.proxy.options;
  let up = x.target!.tryAcquire(x, reuse, o.connectTimeoutMs, o.maxConnectionsPerMember);
  while (up === null) {
    if (!nextMember(x)) return false;
    up = x.target!.tryAcquire(x, true, o.connectTimeoutMs, o.maxConnectionsPerMember);
  }
  x.upstream = up;
  x.tries++;
  attemptStarted(x.record, x.member!, up.connected);
  up.write(x.forwardHead);
  x.armTimer();
  return true;
}
