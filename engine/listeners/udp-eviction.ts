import type { UdpSession } from "./udp-session";

/** Sessions looked at per eviction attempt before the new client is refused (bounds a flood's cost). */
const SCAN = 16;

/**
 * Makes room for one new UDP session among `sessions` (oldest queue position first): the first one
 * silent for at least `minIdleMs` is closed and true returned. A session that spoke since is moved to
 * the back of the queue (`requeue`, CLOCK-style second chance), so live flows are kept and the order
 * tends to least-recently-active first, at no cost per datagram (only `lastActive` is stamped there).
 * False when the first SCAN sessions were all live: the caller refuses the new client (nginx keeps
 * live flows and refuses new ones); the next attempt looks further on.
 */
export function evictIdle(sessions: Iterable<UdpSession>, requeue: (session: UdpSession) => void, now: number, minIdleMs: number): boolean {
  const limit = now - minIdleMs;
  let scanned = 0;
  const moved: UdpSession[] = [];
  for (const session of sessions) {
    if (session.lastActive <= limit) {
      for (const live of moved) requeue(live);
      session.close();
      return true;
    }
    moved.push(session);
    if (++scanned >= SCAN) break;
  }
  for (const live of moved) requeue(live); // after iterating: re-adding while iterating would revisit them
  return false;
}
