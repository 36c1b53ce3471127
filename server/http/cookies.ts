/**
 * Reads one cookie from a Cookie header, fail-safe: a value that is not valid percent-encoding, or
 * that decodes to control characters, counts as absent (any app on the same host can plant cookies).
 */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0 || part.slice(0, eq).trim() !== name) continue;
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u001f\u007f]/.test(value) || value.length > 4096 ? undefined : value;
  }
  return undefined;
}
