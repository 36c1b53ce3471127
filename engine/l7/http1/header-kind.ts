import { equalsLower } from "./bytes";

/**
 * Header names the proxy looks at, as small integers. Everything else is OTHER and passes through
 * as raw bytes without ever becoming a string.
 */
export const H = {
  OTHER: 0,
  HOST: 1,
  CONTENT_LENGTH: 2,
  TRANSFER_ENCODING: 3,
  CONNECTION: 4,
  KEEP_ALIVE: 5,
  PROXY_CONNECTION: 6,
  TE: 7,
  UPGRADE: 8,
  X_FORWARDED_FOR: 9,
  X_FORWARDED_PROTO: 10,
  X_FORWARDED_PORT: 11,
  X_FORWARDED_HOST: 12,
  COOKIE: 13,
  SET_COOKIE: 14,
  TRAILER: 15,
  /** A request field whose name contains `_` (dropped, never interpreted; nginx `underscores_in_headers off`). */
  UNDERSCORE: 16,
  X_REAL_IP: 17,
} as const;

/** One of the H values. */
export type HeaderKind = (typeof H)[keyof typeof H];

/** Classifies the (already token-validated) name buf[start, start+len) case-insensitively. Length first: no string is made. */
export function classifyHeader(buf: Buffer, start: number, len: number): HeaderKind {
  switch (len) {
    case 2:
      return equalsLower(buf, start, "te") ? H.TE : H.OTHER;
    case 4:
      return equalsLower(buf, start, "host") ? H.HOST : H.OTHER;
    case 6:
      return equalsLower(buf, start, "cookie") ? H.COOKIE : H.OTHER;
    case 7:
      if (equalsLower(buf, start, "upgrade")) return H.UPGRADE;
      return equalsLower(buf, start, "trailer") ? H.TRAILER : H.OTHER;
    case 9:
      return equalsLower(buf, start, "x-real-ip") ? H.X_REAL_IP : H.OTHER;
    case 10:
      if (equalsLower(buf, start, "connection")) return H.CONNECTION;
      if (equalsLower(buf, start, "keep-alive")) return H.KEEP_ALIVE;
      return equalsLower(buf, start, "set-cookie") ? H.SET_COOKIE : H.OTHER;
    case 14:
      return equalsLower(buf, start, "content-length") ? H.CONTENT_LENGTH : H.OTHER;
    case 15:
      return equalsLower(buf, start, "x-forwarded-for") ? H.X_FORWARDED_FOR : H.OTHER;
    case 16:
      if (equalsLower(buf, start, "proxy-connection")) return H.PROXY_CONNECTION;
      if (equalsLower(buf, start, "x-forwarded-host")) return H.X_FORWARDED_HOST;
      return equalsLower(buf, start, "x-forwarded-port") ? H.X_FORWARDED_PORT : H.OTHER;
    case 17:
      if (equalsLower(buf, start, "transfer-encoding")) return H.TRANSFER_ENCODING;
      return equalsLower(buf, start, "x-forwarded-proto") ? H.X_FORWARDED_PROTO : H.OTHER;
    default:
      return H.OTHER;
  }
}
