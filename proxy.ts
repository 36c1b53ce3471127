import type { NextRequest } from "next/server";
import { consoleProxy } from "./server/http/console-proxy";

/** Next.js proxy (formerly middleware): CSRF check and security headers for every request. */
export function proxy(request: NextRequest) {
  return consoleProxy(request);
}
