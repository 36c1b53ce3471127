import { NextResponse, type NextRequest } from "next/server";
import { applySecurityHeaders } from "./security-headers";

/** Runs before every console route (root `proxy.ts`): adds the security headers to every response. */
export function consoleProxy(request: NextRequest): NextResponse {
  const response = NextResponse.next();
  applySecurityHeaders(response.headers, request.nextUrl.pathname);
  return response;
}
