import "server-only";
import { SESSION_COOKIE, SESSION_TTL_MS } from "./sessions";

/**
 * The session cookie. Over HTTPS it is `__Host-elb_session` (Secure, Path=/, no Domain: no other app on
 * the host or a subdomain can set or shadow it); over plain HTTP it is `elb_session`. Whoever reads the
 * session reads it by the same rule (`readSessionToken`).
 */
export const SECURE_SESSION_COOKIE = "__Host-elb_session";

/** The session cookie's name for a request served over HTTPS (`secure`) or plain HTTP. */
export function sessionCookieName(secure: boolean): string {
  return secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** Serialises the session cookie: HttpOnly, SameSite=Lax, Path=/, no Domain; Secure (and `__Host-`) over HTTPS. */
export function sessionCookie(token: string, secure: boolean): string {
  const parts = [`${sessionCookieName(secure)}=${token}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${Math.floor(SESSION_TTL_MS / 1000)}`];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

/** A cookie that clears the session. */
export function clearedSessionCookie(secure: boolean): string {
  return `${sessionCookieName(secure)}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? "; Secure" : ""}`;
}

/** True when the headers say the request reached us over HTTPS (Next.js and TLS proxies set X-Forwarded-Proto). */
export function isHttpsHeaders(headers: Headers): boolean {
  return headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}

/** True when the request reached us over HTTPS (directly or through a TLS-terminating proxy). */
export function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === "https:" || isHttpsHeaders(request.headers);
}

const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * The session token from a Cookie header, by the name the protocol calls for (`secure` defaults to what
 * the headers say). Fail-safe: a malformed or foreign value is no session, never an error.
 */
export function readSessionToken(headers: Headers, secure = isHttpsHeaders(headers)): string | undefined {
  const name = sessionCookieName(secure);
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      if (TOKEN.test(value)) return value;
    }
  }
  return undefined;
}
