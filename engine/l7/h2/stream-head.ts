import { H, type HeaderKind } from "../http1/header-kind";
import type { PhaseHead } from "../phases/phase.types";

/** No cookie: what `values` answers for any kind but Cookie, and for Cookie when there is none. */
const NONE: readonly string[] = Object.freeze([]);

/**
 * The head of one HTTP/2 request as the phases, stickiness and the HTTP/1.1 head writer read it, taken
 * from the stream's raw header list (`[name, value, name, value, …]`, names already lowercase and
 * validated by the engine's own wire layer, wire/header-check.ts, which makes nghttp2's checks) in one pass:
 *
 * - the pseudo-headers `:method`, `:path`, `:authority` (`:scheme` is implied by the listener);
 * - `host` (used as the authority only when `:authority` is absent, RFC 9113 §8.3.1);
 * - cookie crumbs, joined with "; " (RFC 9113 §8.2.3) — one Cookie field for an HTTP/1.1 backend;
 * - `content-length`, `expect`, the incoming `x-forwarded-for` chain and the first `x-real-ip` (read
 *   only for a trusted peer's Real IP Header, never forwarded);
 * - every other field, kept as `name: value\r\n` lines for the backend (`fields`). Dropped: the
 *   connection-specific fields HTTP/2 forbids anyway (connection, keep-alive, proxy-connection,
 *   transfer-encoding, upgrade; te), X-Forwarded-Proto/Port/Host and X-Real-IP (the engine writes its
 *   own, whatever its switches), and names containing `_` (nginx's `underscores_in_headers off`, as the
 *   HTTP/1 path).
 *   `expect` is kept apart (a buffered body's 100-continue is answered by the engine).
 *
 * It implements PhaseHead (method, origin-form `target()` = `:path`, `host()`) and CookieSource.
 */
export class StreamHead implements PhaseHead {
  method = "";
  path = "";
  /** `:authority`, else the `host` field, else "". */
  authority = "";
  /** Cookie crumbs joined with "; " ("" = none). */
  cookie = "";
  /** Content-Length as sent (-1 = absent). */
  contentLength = -1;
  /** The `expect` field's value ("" = none); the head writer forwards it unless the engine answers it itself. */
  expect = "";
  /** Incoming X-Forwarded-For values joined with ", " ("" = none). */
  forwardedFor = "";
  /** The first incoming X-Real-IP value (null = none). */
  realIp: string | null = null;
  /** Kept fields as HTTP/1.1 lines (`name: value\r\n`…), in order. */
  fields = "";
  /** The first `user-agent` and `referer` values (null = none), for the access log. */
  userAgent: string | null = null;
  referer: string | null = null;

  constructor(raw: readonly string[]) {
    let host = "";
    let cookie = "";
    let fields = "";
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!;
      const value = raw[i + 1]!;
      if (name.charCodeAt(0) === 0x3a) {
        if (name === ":method") this.method = value;
        else if (name === ":path") this.path = value;
        else if (name === ":authority") this.authority = value;
        continue;
      }
      switch (fieldRole(name)) {
        case KEEP:
          fields += `${name}: ${value}\r\n`;
          if (name.length === 10) {
            if (name === "user-agent") this.userAgent ??= value;
          } else if (name.length === 7 && name === "referer") this.referer ??= value;
          break;
        case COOKIE:
          cookie = cookie === "" ? value : `${cookie}; ${value}`;
          break;
        case HOST:
          host = value;
          break;
        case CONTENT_LENGTH:
          this.contentLength = Number(value); // 1 to 15 digits: wire/header-check.ts refuses anything else
          fields += `content-length: ${value}\r\n`;
          break;
        case EXPECT:
          this.expect = value;
          break;
        case FORWARDED_FOR:
          this.forwardedFor = this.forwardedFor === "" ? value : `${this.forwardedFor}, ${value}`;
          break;
        case REAL_IP:
          this.realIp ??= value;
          break;
        // DROP
      }
    }
    if (this.authority === "") this.authority = host;
    this.cookie = cookie;
    this.fields = fields;
  }

  /** PhaseHead: the `:path` (origin-form, or `*`). */
  target(): string {
    return this.path;
  }

  /** PhaseHead: `:authority` (or Host), port included as sent; "" when none. */
  host(): string {
    return this.authority;
  }

  /** CookieSource: one Cookie field at most (the crumbs are joined). */
  get cookieCount(): number {
    return this.cookie === "" ? 0 : 1;
  }

  /** CookieSource: the joined Cookie value for H.COOKIE. */
  values(kind: HeaderKind): readonly string[] {
    return kind === H.COOKIE && this.cookie !== "" ? [this.cookie] : NONE;
  }
}

const KEEP = 0;
const DROP = 1;
const COOKIE = 2;
const HOST = 3;
const CONTENT_LENGTH = 4;
const EXPECT = 5;
const FORWARDED_FOR = 6;
const REAL_IP = 7;

/** What the head does with a (lowercase) field name. Length first, then one comparison: no allocation. */
function fieldRole(name: string): number {
  switch (name.length) {
    case 2:
      return name === "te" ? DROP : underscore(name);
    case 4:
      return name === "host" ? HOST : underscore(name);
    case 6:
      if (name === "cookie") return COOKIE;
      return name === "expect" ? EXPECT : underscore(name);
    case 7:
      return name === "upgrade" ? DROP : underscore(name);
    case 9:
      return name === "x-real-ip" ? REAL_IP : underscore(name);
    case 10:
      return name === "connection" || name === "keep-alive" ? DROP : underscore(name);
    case 14:
      return name === "content-length" ? CONTENT_LENGTH : underscore(name);
    case 15:
      return name === "x-forwarded-for" ? FORWARDED_FOR : underscore(name);
    case 16:
      return name === "proxy-connection" || name === "x-forwarded-host" || name === "x-forwarded-port" ? DROP : underscore(name);
    case 17:
      return name === "transfer-encoding" || name === "x-forwarded-proto" ? DROP : underscore(name);
    default:
      return underscore(name);
  }
}

/** Fields whose names contain `_` are dropped (as the HTTP/1 path and nginx do). */
function underscore(name: string): number {
  return name.indexOf("_") < 0 ? KEEP : DROP;
}
