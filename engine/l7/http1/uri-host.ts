import { HEX_VALUE } from "./bytes";

/** 1 for reg-name characters besides pct-encoded (RFC 3986 §3.2.2: unreserved / sub-delims). */
const REG_NAME = new Uint8Array(256);
for (const c of "-._~!$&'()*+,;=") REG_NAME[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) REG_NAME[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) REG_NAME[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) REG_NAME[c] = 1;

const COLON = 0x3a;

/**
 * True when buf[start, end) is `uri-host [ ":" port ]` (RFC 9110 §7.2, RFC 3986 §3.2.2): a
 * non-empty reg-name or IPv4 address (pct-encoding allowed), or an IPv6 literal in brackets;
 * port 1–5 digits up to 65535. No userinfo, no path, no whitespace. Used for Host and for the
 * authority of an absolute-form target; allocates nothing.
 */
export function isUriHost(buf: Buffer, start: number, end: number): boolean {
  let i = start;
  if (i >= end) return false;
  if (buf[i] === 0x5b) {
    // IP-literal: hex digits, ':' and '.' (embedded IPv4), at least one ':'.
    let colons = 0;
    for (i++; i < end && buf[i] !== 0x5d; i++) {
      const c = buf[i]!;
      if (c === COLON) colons++;
      else if (c !== 0x2e && HEX_VALUE[c]! < 0) return false;
    }
    if (i >= end || colons < 2) return false;
    i++;
  } else {
    for (; i < end && buf[i] !== COLON; i++) {
      const c = buf[i]!;
      if (REG_NAME[c] === 1) continue;
      if (c !== 0x25 || i + 2 >= end || HEX_VALUE[buf[i + 1]!]! < 0 || HEX_VALUE[buf[i + 2]!]! < 0) return false;
      i += 2;
    }
    if (i === start) return false;
  }
  if (i === end) return true;
  if (buf[i] !== COLON) return false;
  const digits = end - i - 1;
  if (digits < 1 || digits > 5) return false;
  let port = 0;
  for (i++; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return false;
    port = port * 10 + d;
  }
  return port <= 65535;
}
