import type { PhaseAnswer, PhaseOutcome, PhaseRequest, RequestPhase } from "./phase.types";

/**
 * The redirect phase of a redirected HTTP listener (guide 3.8.4, table 3-9): every request is answered
 * `301 Moved Permanently` with `Location: https://<host>:<port><path>?<query>`, where `port` is the HTTPS
 * listener's, `host` the request's Host without its port (an IPv6 literal keeps its brackets; none, as in
 * HTTP/1.0 without Host → the local address the client reached, else the listener's first bind address),
 * and path and query are exactly as the client sent them (origin-form; `*` → `/`). Nothing reaches a
 * backend: it is the route's only phase.
 */
export class RedirectPhase implements RequestPhase {
  readonly name = "redirect";
  private readonly portSuffix: string;

  /** `port`: the HTTPS listener's port; `fallbackHost`: the authority used when neither Host nor the local address is known. */
  constructor(
    port: number,
    private readonly fallbackHost: string,
  ) {
    this.portSuffix = `:${port}`;
  }

  run(request: PhaseRequest): PhaseOutcome {
    const head = request.head;
    let host = hostWithoutPort(head.host());
    if (host === "") host = bracketed(request.localAddress) || this.fallbackHost;
    const target = head.target();
    const location = `https://${host}${this.portSuffix}${target === "*" ? "/" : target}`;
    request.answer = movedPermanently(location);
    return "respond";
  }
}

/** The 301 answer for `location`. */
function movedPermanently(location: string): PhaseAnswer {
  return { status: 301, reason: "Moved Permanently", fields: `Location: ${location}\r\n`, body: "" };
}

/** A Host value (uri-host[:port], already validated by the parser) without its port; "[v6]" keeps its brackets. */
export function hostWithoutPort(host: string): string {
  if (host.charCodeAt(0) === 0x5b) {
    const close = host.indexOf("]");
    return close < 0 ? host : host.slice(0, close + 1);
  }
  const colon = host.indexOf(":");
  return colon < 0 ? host : host.slice(0, colon);
}

/** An address as a URI host: IPv6 in brackets; "" stays "". */
function bracketed(address: string): string {
  return address.includes(":") ? `[${address}]` : address;
}
