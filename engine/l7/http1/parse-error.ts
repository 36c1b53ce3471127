/**
 * Why a message head or body framing was rejected. Parsers return these codes (no exceptions on the
 * hot path); `engine/l7/errors.ts` maps them to a status and an error source in one place.
 */
export const ParseError = {
  NONE: 0,
  /** Malformed request line or status line. */
  BAD_START_LINE: 1,
  /** A line ended with LF alone (requests only; tolerated in backend responses). */
  BARE_LF: 2,
  /** A header line continued on the next line (obsolete line folding). */
  OBS_FOLD: 3,
  /** Whitespace between a field name and its colon. */
  SPACE_BEFORE_COLON: 4,
  /** A field name with a non-token character, or a line without a colon. */
  BAD_FIELD_NAME: 5,
  /** A control character inside a field value. */
  BAD_FIELD_VALUE: 6,
  /** Request line plus headers larger than the limit. */
  HEAD_TOO_LARGE: 7,
  /** More header fields than the limit. */
  TOO_MANY_FIELDS: 8,
  /** The request line alone exceeds the limit. */
  URI_TOO_LONG: 9,
  /** A well-formed HTTP version other than 1.x (1.2–1.9 are served as 1.1). */
  VERSION_NOT_SUPPORTED: 10,
  /** HTTP/1.1 request without Host, or with several. */
  BAD_HOST: 11,
  /** Content-Length not a plain decimal, repeated, or too large. */
  BAD_CONTENT_LENGTH: 12,
  /** Both Content-Length and Transfer-Encoding (a request-smuggling vector). */
  CONTENT_LENGTH_AND_TRANSFER_ENCODING: 13,
  /** Transfer-Encoding malformed, repeated, not ending in chunked, or sent with HTTP/1.0. */
  BAD_TRANSFER_ENCODING: 14,
  /** A well-formed transfer coding the proxy does not implement (anything but chunked). */
  UNSUPPORTED_TRANSFER_ENCODING: 15,
  /** CONNECT: this is a reverse proxy, not a forward proxy. */
  METHOD_NOT_ALLOWED: 16,
  /** Malformed chunked body framing. */
  BAD_CHUNK: 17,
  /** A request-target that is not origin-form, http(s) absolute-form, or `*` with OPTIONS. */
  BAD_TARGET: 18,
} as const;

/** One of the ParseError values. */
export type ParseErrorCode = (typeof ParseError)[keyof typeof ParseError];
