import { FIELD_VCHAR, SP, equalsLower, skipOws, trimOwsEnd } from "./bytes";
import { HeadReader, type HeadLimits } from "./head-reader";
import { H, type HeaderKind } from "./header-kind";
import { ParseError, type ParseErrorCode } from "./parse-error";
import { httpVersion, parseDecimal } from "./start-line";

/** Backend response-head limits: 64 KiB, 200 fields, lone LF tolerated (we re-serialize with CRLF). */
export const DEFAULT_RESPONSE_LIMITS: HeadLimits = { maxHeadBytes: 64 * 1024, maxFields: 200, allowBareLf: true };

/**
 * Incremental HTTP/1.x response-head parser for backend responses. Decides the body framing
 * (RFC 9112 §6.3: Transfer-Encoding ending in chunked wins over Content-Length; other codings
 * or no length = read until close) and the connection's reusability. Conflicting Content-Length
 * values are rejected (→ 502), identical repeats tolerated (and merged into one when forwarded).
 */
export class ResponseParser extends HeadReader {
  /** Status code, 100–999. */
  status = 0;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  versionMinor = 1;
  /** Content-Length (-1 = absent). Ignored when Transfer-Encoding is present (`hasEncoding`). */
  contentLength = -1;
  /** Transfer-Encoding present; `chunked` when its final coding is chunked. */
  hasEncoding = false;
  chunked = false;
  /** Connection tokens. */
  connectionClose = false;
  connectionKeepAlive = false;
  connectionOther = false;
  /** Counts of hop-by-hop fields and Set-Cookie fields (0 = nothing to look for). */
  hopCount = 0;
  /** Content-Length fields seen (identical repeats are merged into one by the head writer). */
  lengthCount = 0;
  setCookieCount = 0;

  constructor(limits: HeadLimits = DEFAULT_RESPONSE_LIMITS) {
    super(limits);
  }

  /** True when the backend connection may carry another request after this response. */
  get keepAlive(): boolean {
    return this.versionMinor === 1 ? !this.connectionClose : this.connectionKeepAlive && !this.connectionClose;
  }

  protected resetMessage(): void {
    this.status = 0;
    this.versionMinor = 1;
    this.contentLength = -1;
    this.hasEncoding = this.chunked = false;
    this.connectionClose = this.connectionKeepAlive = this.connectionOther = false;
    this.hopCount = this.setCookieCount = this.lengthCount = 0;
  }

  protected tooLongStartLine(): ParseErrorCode {
    return ParseError.HEAD_TOO_LARGE;
  }

  protected onStartLine(buf: Buffer, start: number, end: number): ParseErrorCode {
    if (end - start < 12 || buf[start + 8] !== SP) return ParseError.BAD_START_LINE;
    const version = httpVersion(buf, start, start + 8);
    if (version !== 10 && version !== 11) return ParseError.BAD_START_LINE;
    this.versionMinor = version - 10;
    let status = 0;
    for (let i = start + 9; i < start + 12; i++) {
      const d = buf[i]! - 0x30;
      if (d < 0 || d > 9) return ParseError.BAD_START_LINE;
      status = status * 10 + d;
    }
    if (status < 100) return ParseError.BAD_START_LINE;
    if (end > start + 12 && buf[start + 12] !== SP) return ParseError.BAD_START_LINE;
    for (let i = start + 13; i < end; i++) if (FIELD_VCHAR[buf[i]!] !== 1) return ParseError.BAD_START_LINE;
    this.status = status;
    return ParseError.NONE;
  }

  protected onField(kind: HeaderKind, buf: Buffer, vs: number, ve: number): ParseErrorCode {
    switch (kind) {
      case H.CONTENT_LENGTH: {
        const n = parseDecimal(buf, vs, ve);
        if (n < 0 || (this.contentLength >= 0 && n !== this.contentLength)) return ParseError.BAD_CONTENT_LENGTH;
        this.contentLength = n;
        this.lengthCount++;
        return ParseError.NONE;
      }
      case H.TRANSFER_ENCODING: {
        this.hasEncoding = true;
        const e = trimOwsEnd(buf, vs, ve);
        let s = e;
        while (s > vs && buf[s - 1] !== 0x2c) s--;
        s = skipOws(buf, s, e);
        this.chunked = e - s === 7 && equalsLower(buf, s, "chunked");
        return ParseError.NONE;
      }
      case H.CONNECTION:
        this.hopCount++;
        this.connectionTokens(buf, vs, ve);
        return ParseError.NONE;
      case H.KEEP_ALIVE:
      case H.PROXY_CONNECTION:
      case H.TE:
      case H.UPGRADE:
        this.hopCount++;
        return ParseError.NONE;
      case H.SET_COOKIE:
        this.setCookieCount++;
        return ParseError.NONE;
      default:
        return ParseError.NONE;
    }
  }

  protected onComplete(): ParseErrorCode {
    // HTTP/1.0 has no chunked coding: such framing is faulty, read until close instead.
    if (this.hasEncoding && this.versionMinor === 0) this.chunked = false;
    return ParseError.NONE;
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
      else if (len > 0 && !(len === 7 && equalsLower(buf, s, "upgrade"))) this.connectionOther = true;
      i = j + 1;
    }
  }
}
