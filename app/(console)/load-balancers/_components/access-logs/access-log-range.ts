/** The time ranges of the Access Logs tab's search (default the last hour). */
export const ACCESS_LOG_RANGES = [
  { value: "1h", label: "Last 1 hour", ms: 3_600_000 },
  { value: "3h", label: "Last 3 hours", ms: 3 * 3_600_000 },
  { value: "12h", label: "Last 12 hours", ms: 12 * 3_600_000 },
  { value: "1d", label: "Last 1 day", ms: 24 * 3_600_000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 24 * 3_600_000 },
  { value: "custom", label: "Custom", ms: 0 },
] as const;
export type AccessLogRange = (typeof ACCESS_LOG_RANGES)[number]["value"];

/** What the user typed into the search form. */
export interface AccessLogFilterDraft {
  range: AccessLogRange;
  /** datetime-local values (browser time) for a custom range. */
  customFrom: string;
  customTo: string;
  status: string;
  clientIp: string;
  path: string;
  text: string;
}

/** A submitted search: fixed times (so "older" pages stay one search) and the non-empty filters. */
export interface AccessLogQuery {
  from: number;
  to: number;
  status?: string;
  clientIp?: string;
  path?: string;
  text?: string;
}

/** The query of a draft at `now`; a custom range's unparsable time becomes NaN (the server names the field). */
export function queryOf(draft: AccessLogFilterDraft, now: number): AccessLogQuery {
  const range = ACCESS_LOG_RANGES.find((r) => r.value === draft.range)!;
  const [from, to] = draft.range === "custom" ? [new Date(draft.customFrom).getTime(), new Date(draft.customTo).getTime()] : [now - range.ms, now];
  const q: AccessLogQuery = { from, to };
  for (const key of ["status", "clientIp", "path", "text"] as const) if (draft[key].trim()) q[key] = draft[key].trim();
  return q;
}

/** The download route's URL for a load balancer and query (the same filters as the search). */
export function downloadUrl(loadBalancerId: string, q: AccessLogQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(q)) if (value !== undefined) params.set(key, String(value));
  return `/api/load-balancers/${encodeURIComponent(loadBalancerId)}/access-logs?${params}`;
}
