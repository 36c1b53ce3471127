import { latin1 } from "../../io/bytes";
import { SP, TARGET_CHAR, TCHAR, equalsLower, skipOws, trimOwsEnd } from "./bytes";
import { HeadReader, type HeadLimits } from "./head-reader";
import { H, type HeaderKind } from "./header-kind";
import { ParseError, type ParseErrorCode } from "./parse-error";
import { httpVersion, methodName, parseDecimal } from "./start-line";
import { isUriHost } from "./uri-host";

/** Request head limits; defaults follow common servers (32 KiB head, 100 fields). */
export const DEFAULT_REQUEST_LIMITS: HeadLimits = { maxHeadBytes: 32 * 1024, maxFields: 100, allowBareLf: false };

/**
 * Strict incremental HTTP/1.1 request-head parser (RFC 9112). Request-smuggling defences:
 * exactly one Host in 1.1; Content-Length a single plain decimal; Transfer-Encoding only as a
 * single `chunked`, never with Content-Length, never in HTTP/1.0; no obs-fold, no bare LF, no
 * whitespace before a colon, no control characters. Results are flags and field indexes; strings
 * are only made on demand.
 */
export class RequestParser extends HeadReader {
  /** Method as sent (common methods are interned constants). */
  method = "";
  /** 0 for HTTP/1.0, 1 for HTTP/1.1 (and HTTP/1.2–1.9, served as 1.1). */
  versionMinor = 1;
  /** Offset of the request-target from `startLine`, and its length. */
  targetOffset = 0;
  targetLength = 0;
  /**
   * http(s) absolute-form target (RFC 9112 §3.2.2): its authority (offset from `startLine`,
   * length) replaces Host, and the path from `pathOffset` (from `startLine`) is forwarded.
   */
  absoluteForm = false;
  authorityOffset = 0;
  authorityLength = 0;
  pathOffset = 0;
  /** The request line is not forwarded as sent (absolute-form, or a version above 1.1). */
  lineRewrite = false;
  /** Body framing: Content-Length value (-1 = absent) and chunked flag. */
  contentLength = -1;
  chunked = false;
  /** Field index of Host (-1 = none). */
  hostField = -1;
  /** Connection tokens seen. */
  connectionClose = false;
  connectionKeepAlive = false;
  connectionUpgrade = false;
  /** Connection names other headers (they are hop-by-hop and get removed). */
  connectionOther = false;
  /** Field index of Upgrade (-1 = none). */
  upgradeField = -1;
  /**
   * Counts of fields the rewriter cares about (0 = it can skip the walk): `forwardedCount` the client's
   * X-Forwarded-* and X-Real-IP fields (always dropped); hopCount counts every other field it drops.
   */
  forwardedCount = 0;
  cookieCount = 0;
  hopCount = 0;
  private hostCount = 0;
  private lengthCount = 0;
  private encodingCount = 0;

  /** `dropUnderscores`: fields named with `_` are marked for the head writer to drop (default, as nginx). */
  constructor(limits: HeadLimits = DEFAULT_REQUEST_LIMITS, dropUnderscores = true) {
    super(limits);
    this.markUnderscores = dropUnderscores;
  }

  /** True for GET, HEAD, OPTIONS, TRACE, PUT, DELETE (RFC 9110 §9.2.2): safe to resend. */
  get idempotent(): boolean {
    const m = this.method;
    return m === "GET" || m === "HEAD" || m === "OPTIONS" || m === "PUT" || m === "DELETE" || m === "TRACE";
  }

  /**
   * The request-target in origin-form, path and query as sent (allocates): an absolute-form target
   * gives its path ("/" when empty, "?q" → "/?q"); `*` stays `*`.
   */
  target(): string {
    const s = this.startLine + this.targetOffset;
    const end = s + this.targetLength;
    if (!this.absoluteForm) return latin1(this.headBuf, s, end);
    const path = this.startLine + this.pathOffset;
    if (path === end) return "/";
    return this.headBuf[path] === 0x3f ? "/" + latin1(this.headBuf, path, end) : latin1(this.headBuf, path, end);
  }

  /** The host the request is for: the absolute-form authority, else the Host value, else "" (allocates). */
  host(): string {
    if (this.absoluteForm) {
      const s = this.startLine + this.authorityOffset;
      return latin1(this.headBuf, s, s + this.authorityLength);
    }
    return this.hostField >= 0 ? this.value(this.hostField) : "";
  }

  /** True when the client asked for a protocol switch (Connection: upgrade + Upgrade). */
  get upgrade(): boolean {
    return this.connectionUpgrade && this.upgradeField >= 0;
  }

  /** True when the client wants the connection kept after this exchange. */
  get keepAlive(): boolean {
    return this.versionMinor === 1 ? !this.connectionClose : this.connectionKeepAlive && !this.connectionClose;
  }

  protected resetMessage(): void {
    this.method = "";
    this.versionMinor = 1;
    this.absoluteForm = this.lineRewrite = false;
    this.contentLength = -1;
    this.chunked = false;
    this.hostField = -1;
    this.connectionClose = this.connectionKeepAlive = this.connectionUpgrade = this.connectionOther = false;
    this.upgradeField = -1;
    this.forwardedCount = this.cookieCount = this.hopCount = 0;
    this.hostCount = this.lengthCount = this.encodingCount = 0;
  }

  protected tooLongStartLine(): ParseErrorCode {
    return ParseError.URI_TOO_LONG;
  }

  protected onStartLine(buf: Buffer, start: number, end: number): ParseErrorCode {
    let i = start;
    while (i < end && TCHAR[buf[i]!] === 1) i++;
    if (i === start || i >= end || buf[i] !== SP) return ParseError.BAD_START_LINE;
    this.method = methodName(buf, start, i);
    const t = i + 1;
    let j = t;
    while (j < end && TARGET_CHAR[buf[j]!] === 1) j++;
    if (j === t || j >= end || buf[j] !== SP) return ParseError.BAD_START_LINE;
    this.targetOffset = t - start;
    this.targetLength = j - t;
    const v = j + 1;
    const version = httpVersion(buf, v, end);
    if (version < 0) return ParseError.BAD_START_LINE;
    if (version < 10 || version > 19) return ParseError.VERSION_NOT_SUPPORTED;
    // HTTP/1.x above 1.1 is served as 1.1, our highest minor version (RFC 9112 §2.3).
    this.versionMinor = version === 10 ? 0 : 1;
    if (version > 11) this.lineRewrite = true;
    if (this.method === "CONNECT") return ParseError.METHOD_NOT_ALLOWED;
    if (buf[t] === 0x2f) return ParseError.NONE; // origin-form, the common case
    return this.otherTarget(buf, start, t, j);
  }

  /** `*` (OPTIONS only) or http(s) absolute-form with a valid authority and no userinfo; else BAD_TARGET. */
  private otherTarget(buf: Buffer, line: number, t: number, end: number): ParseErrorCode {
    if (buf[t] === 0x2a) return end - t === 1 && this.method === "OPTIONS" ? ParseError.NONE : ParseError.BAD_TARGET;
    let a: number;
    if (end - t > 7 && equalsLower(buf, t, "http://")) a = t + 7;
    else if (end - t > 8 && equalsLower(buf, t, "https://")) a = t + 8;
    else return ParseError.BAD_TARGET;
    let p = a;
    while (p < end && buf[p] !== 0x2f && buf[p] !== 0x3f) p++;
    if (!isUriHost(buf, a, p)) return ParseError.BAD_TARGET;
    this.absoluteForm = this.lineRewrite = true;
    this.authorityOffset = a - line;
    this.authorityLength = p - a;
    this.pathOffset = p - line;
    return ParseError.NONE;
  }

  protected onField(kind: HeaderKind, buf: Buffer, vs: number, ve: number): ParseErrorCode {
    switch (kind) {
      case H.OTHER:
        return ParseError.NONE;
      case H.HOST:
        this.hostCount++;
        this.hostField = this.fieldCount - 1;
        return isUriHost(buf, vs, ve) ? ParseError.NONE : ParseError.BAD_HOST;
      case H.CONTENT_LENGTH:
        if (++this.lengthCount > 1) return ParseError.BAD_CONTENT_LENGTH;
        this.contentLength = parseDecimal(buf, vs, ve);
        return this.contentLength < 0 ? ParseError.BAD_CONTENT_LENGTH : ParseError.NONE;
      case H.TRANSFER_ENCODING:
        if (++this.encodingCount > 1) return ParseError.BAD_TRANSFER_ENCODING;
        return this.transferEncoding(buf, vs, ve);
      case H.CONNECTION:
        this.hopCount++;
        this.connectionTokens(buf, vs, ve);
        return ParseError.NONE;
      case H.UPGRADE:
        this.upgradeField = this.fieldCount - 1;
        this.hopCount++;
        return ParseError.NONE;
      case H.KEEP_ALIVE:
      case H.PROXY_CONNECTION:
      case H.TE:
      case H.UNDERSCORE: // not hop-by-hop, but dropped the same way
        this.hopCount++;
        return ParseError.NONE;
      case H.X_FORWARDED_FOR:
      case H.X_FORWARDED_PROTO:
      case H.X_FORWARDED_PORT:
      case H.X_FORWARDED_HOST:
      case H.X_REAL_IP:
        this.forwardedCount++;
        return ParseError.NONE;
      case H.COOKIE:
        this.cookieCount++;
        return ParseError.NONE;
      default:
        return ParseError.NONE;
    }
  }

  protected onComplete(): ParseErrorCode {
    if (this.hostCount > 1 || (this.versionMinor === 1 && this.hostCount === 0)) return ParseError.BAD_HOST;
    if (this.encodingCount > 0) {
      if (this.lengthCount > 0) return ParseError.CONTENT_LENGTH_AND_TRANSFER_ENCODING;
      if (this.versionMinor === 0) return ParseError.BAD_TRANSFER_ENCODING;
    }
    return ParseError.NONE;
  }

  /** Accepts exactly `chunked` (any case, OWS around); other well-formed codings are 501, the rest 400. */
  private transferEncoding(buf: Buffer, vs: number, ve: number): ParseErrorCode {
    if (ve - vs === 7 && equalsLower(buf, vs, "chunked")) {
      this.chunked = true;
      return ParseError.NONE;
    }
    let last = "";
    let i = vs;
    while (i <= ve) {
      let j = i;
      while (j < ve && buf[j] !== 0x2c) j++;
      const s = skipOws(buf, i, j);
      const e = trimOwsEnd(buf, s, j);
      if (s === e) return ParseError.BAD_TRANSFER_ENCODING;
      for (let k = s; k < e; k++) if (TCHAR[buf[k]!] !== 1) return ParseError.BAD_TRANSFER_ENCODING;
      if (last === "chunked") return ParseError.BAD_TRANSFER_ENCODING;
      last = e - s === 7 && equalsLower(buf, s, "chunked") ? "chunked" : "other";
      i = j + 1;
    }
    return last === "chunked" ? ParseError.UNSUPPORTED_TRANSFER_ENCODING : ParseError.BAD_TRANSFER_ENCODING;
  }

  private connectionTokens(buf: Buffer, vs: number, ve: number): void {
    let i = vs;
    while (i < ve) {
      let j = i;
      while (j < ve && buf[j] !== 0x2c) j++;
      const s = skipOws(buf, i, j);
      const len = trimOwsEnd(buf, s, j) - s;
      if (len === 5 && equalsLower(buf, s, "close")) this.connectionClose = true;
      else if (len === 10 && equalsLower(buf, s, "keep-alive")) this.connectionKeepAlive = true;
      else if (len === 7 && equalsLower(buf, s, "upgrade")) this.connectionUpgrade = true;
      else if (len > 0) this.connectionOther = true;
      i = j + 1;
    }
  }
}
