import { NextResponse, type NextRequest } from "next/server";
import { crossSiteRefusal } from "./cross-site-request";
import { applySecurityHeaders } from "./security-headers";

/**
 * Runs before every console route (root `proxy.ts`): refuses cross-site state-changing requests with 403
 * (tRPC mutations, /api/auth/login and logout, any POST) and adds the security headers to every response.
 */
export function consoleProxy(request: NextRequest): NextResponse {
  const refusal = crossSiteRefusal(request);
  const response = refusal
    ? NextResponse.json({ error: { code: "FORBIDDEN", message: refusal } }, { status: 403 })
    : NextResponse.next();
  applySecurityHeaders(response.headers, request.nextUrl.pathname);
  return response;
}
