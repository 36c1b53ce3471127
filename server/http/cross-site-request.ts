/** Methods that change nothing; every other method is state-changing and must come from the console itself. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** What the CSRF check reads from a request. */
export interface RequestOrigin {
  method: string;
  headers: Headers;
}

/**
 * The console's own origin as the browser sees it: `X-Forwarded-Proto`/`X-Forwarded-Host` (the console
 * server keeps them only from a proxy listed in ELB_TRUSTED_PROXIES and otherwise sets the proto from the
 * socket; Next fills X-Forwarded-Host from Host), else Host over http.
 */
export function ownOrigin(headers: Headers): string | null {
  const host = (headers.get("x-forwarded-host") ?? headers.get("host") ?? "").split(",")[0]!.trim();
  if (!host) return null;
  const proto = (headers.get("x-forwarded-proto") ?? "http").split(",")[0]!.trim().toLowerCase();
  return `${proto}://${host}`.toLowerCase();
}

/**
 * Why a state-changing request is refused as cross-site, or null when it may pass. `Origin` must be the
 * console's own origin; without `Origin`, `Sec-Fetch-Site` must be same-origin (or none: typed by the user).
 * A request with neither comes from a non-browser client (curl, scripts), which no other site can drive.
 */
export function crossSiteRefusal(request: RequestOrigin): string | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  const origin = request.headers.get("origin");
  if (origin !== null) {
    const own = ownOrigin(request.headers);
    if (own !== null && origin.trim().toLowerCase() === own) return null;
    return `Cross-site request refused: Origin ${origin.slice(0, 200)} is not this console's origin`;
  }
  const site = request.headers.get("sec-fetch-site");
  if (site === null || site === "same-origin" || site === "none") return null;
  return `Cross-site request refused: Sec-Fetch-Site is ${site.slice(0, 50)}`;
}
