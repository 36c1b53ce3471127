/**
 * Content-Security-Policy of every console response. Next's App Router ships inline bootstrap scripts
 * (`self.__next_f.push`) and inline styles, hence 'unsafe-inline' for those two; everything else is
 * same-origin only, and no page may be framed (clickjacking from another port of the same host).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers every response carries (pages, API, static files). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
};

/** Sets the security headers on `headers`; API responses (`/api/*`) are also never cached. */
export function applySecurityHeaders(headers: Headers, pathname: string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
  if (pathname === "/api" || pathname.startsWith("/api/")) headers.set("Cache-Control", "no-store");
}
