import "server-only";

/**
 * CSRF in depth for the log-in/log-out routes: true when a browser says the request comes from another
 * site or another origin of this site (`Sec-Fetch-Site`: cross-site / same-site — another port of the same
 * host is "same-site"), or, from a browser that sends no Sec-Fetch-Site, when `Origin` names another host.
 */
export function isCrossOriginRequest(headers: Headers): boolean {
  const site = headers.get("sec-fetch-site")?.toLowerCase();
  if (site) return site === "cross-site" || site === "same-site";
  const origin = headers.get("origin");
  if (!origin || origin === "null") return origin === "null";
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  try {
    return !host || new URL(origin).host.toLowerCase() !== host.toLowerCase();
  } catch {
    return true;
  }
}
