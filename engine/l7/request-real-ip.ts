import type { ClientIpHeaders } from "./client-ip-headers";
import { FIELD_STRIDE, F_KIND } from "./http1/head-reader";
import { H } from "./http1/header-kind";
import type { RequestParser } from "./http1/request-parser";
import { claimedRealIp } from "./real-ip";

/**
 * The real client of an HTTP/1 request whose TCP peer is trusted, by the route's Real IP Header
 * (real-ip.ts `claimedRealIp`): the chain of all its X-Forwarded-For fields (in order, joined with
 * ", ") or its first X-Real-IP field (nginx takes the first), read only for the header in use. Called
 * only when the route has a real IP header, the peer is trusted and the request carries some
 * X-Forwarded-* / X-Real-IP field; nothing usable → `connection`.
 */
export function requestRealIp(req: RequestParser, h: ClientIpHeaders, connection: string): string {
  const f = req.fields;
  const wanted = h.realIp === "X_REAL_IP" ? H.X_REAL_IP : H.X_FORWARDED_FOR;
  let chain = "";
  for (let i = 0; i < req.fieldCount; i++) {
    if (f[i * FIELD_STRIDE + F_KIND] !== wanted) continue;
    if (wanted === H.X_REAL_IP) return claimedRealIp(h, "", req.value(i), connection);
    chain = chain === "" ? req.value(i) : `${chain}, ${req.value(i)}`;
  }
  return claimedRealIp(h, chain, null, connection);
}
