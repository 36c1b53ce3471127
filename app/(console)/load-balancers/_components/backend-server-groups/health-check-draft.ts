import type { HealthCheckProtocol } from "@/db/schema/health-monitors";
import type { PoolProtocol } from "@/db/schema/pools";
import { defaultHealthCheckProtocol, HEALTH_CHECK_DEFAULTS, type HealthMonitorFieldsInput } from "@/server/services/health-monitor/health-monitor.schemas";
import type { HealthMonitorView } from "@/server/services/health-monitor/health-monitor-view";
import { numberOf } from "@/app/_lib/form-errors";

/** What the health check form holds while the user types (numbers as text). */
export interface HealthCheckDraft {
  enabled: boolean;
  protocol: HealthCheckProtocol;
  domainName: string;
  port: string;
  interval: string;
  timeout: string;
  path: string;
  maxRetries: string;
  expectedCodes: string;
}

/** Table 5-1 defaults for a group of this backend protocol. */
export function newHealthCheckDraft(poolProtocol: PoolProtocol, enabled = true): HealthCheckDraft {
  return {
    enabled,
    protocol: defaultHealthCheckProtocol(poolProtocol),
    domainName: "",
    port: "",
    interval: String(HEALTH_CHECK_DEFAULTS.intervalSeconds),
    timeout: String(HEALTH_CHECK_DEFAULTS.timeoutSeconds),
    path: HEALTH_CHECK_DEFAULTS.path,
    maxRetries: String(HEALTH_CHECK_DEFAULTS.maxRetries),
    expectedCodes: HEALTH_CHECK_DEFAULTS.expectedCodes.join(","),
  };
}

/** The form for an existing health check. */
export function healthCheckDraftFromView(view: HealthMonitorView): HealthCheckDraft {
  return {
    enabled: view.enabled,
    protocol: view.protocol,
    domainName: view.domainName ?? "",
    port: view.port === null ? "" : String(view.port),
    interval: String(view.intervalSeconds),
    timeout: String(view.timeoutSeconds),
    path: view.path,
    maxRetries: String(view.maxRetries),
    expectedCodes: view.expectedCodes.join(","),
  };
}

/** The health check fields of a draft as the schemas take them; HTTP-only fields are sent only for HTTP. */
export function healthCheckFieldsOf(draft: HealthCheckDraft) {
  const http = draft.protocol === "HTTP";
  return {
    enabled: draft.enabled,
    protocol: draft.protocol,
    domainName: http ? draft.domainName : undefined,
    port: draft.port.trim() === "" ? null : numberOf(draft.port),
    intervalSeconds: numberOf(draft.interval),
    timeoutSeconds: numberOf(draft.timeout),
    path: http ? draft.path : undefined,
    maxRetries: numberOf(draft.maxRetries),
    expectedCodes: http ? draft.expectedCodes.split(/[\s,]+/).filter(Boolean).map(Number) : undefined,
  } satisfies HealthMonitorFieldsInput;
}
