"use client";
import type { HealthCheckProtocol } from "@/db/schema/health-monitors";
import type { PoolProtocol } from "@/db/schema/pools";
import { Field, Input, Select } from "@/app/_components/ui/field";
import { healthCheckProtocolsFor } from "@/server/services/health-monitor/health-monitor.schemas";
import type { HealthCheckDraft } from "./health-check-draft";
import type { FieldErrors } from "@/app/_lib/form-errors";
import { Switch } from "./switch";

/**
 * The health check fields (tables 3-5, 4-2, 5-1): Enable Health Check, Protocol (UDP groups: UDP; fixed
 * once set), Domain Name and Check Path for HTTP, Port, Interval (s), Timeout (s), Maximum Retries.
 */
export function HealthCheckFields({
  draft,
  onChange,
  errors,
  poolProtocol,
  prefix = "",
  protocolLocked = false,
}: {
  draft: HealthCheckDraft;
  onChange: (draft: HealthCheckDraft) => void;
  errors: FieldErrors;
  poolProtocol: PoolProtocol;
  prefix?: string;
  /** The check exists: its protocol cannot be changed. */
  protocolLocked?: boolean;
}) {
  const set = (change: Partial<HealthCheckDraft>) => onChange({ ...draft, ...change });
  const error = (field: string) => errors[prefix + field];
  const protocols = healthCheckProtocolsFor(poolProtocol);
  const http = draft.protocol === "HTTP";
  return (
    <>
      <Field label="Enable Health Check" htmlFor="hc-enabled" hint={draft.enabled ? undefined : "Without a health check every backend server is considered healthy and keeps receiving requests."}>
        <Switch id="hc-enabled" label="Enable Health Check" checked={draft.enabled} onChange={(enabled) => set({ enabled })} />
      </Field>
      {draft.enabled && (
        <>
          <Field
            label="Protocol"
            htmlFor="hc-protocol"
            required
            error={error("protocol")}
            hint={poolProtocol === "UDP" ? "UDP backend server groups are checked with UDP." : protocolLocked ? "The health check protocol cannot be changed once set." : "A selected protocol cannot be changed later."}
          >
            <Select id="hc-protocol" value={draft.protocol} disabled={protocolLocked || protocols.length === 1} onChange={(e) => set({ protocol: e.target.value as HealthCheckProtocol })} className="w-40">
              {(protocolLocked ? [draft.protocol] : protocols).map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </Select>
          </Field>
          {http && (
            <Field label="Domain Name" htmlFor="hc-domain" error={error("domainName")} hint="Optional. Digits, letters, hyphens (-) and periods (.), starting with a digit or letter.">
              <Input id="hc-domain" aria-label="Domain Name" value={draft.domainName} placeholder="www.elb.com" onChange={(e) => set({ domainName: e.target.value })} autoComplete="off" />
            </Field>
          )}
          <Field label="Port" htmlFor="hc-port" error={error("port")} hint="Optional, 1 to 65535. Blank: the port of each backend server.">
            <Input id="hc-port" aria-label="Port" type="number" min={1} max={65535} value={draft.port} onChange={(e) => set({ port: e.target.value })} className="w-32" />
          </Field>
          <Field label="Interval (s)" htmlFor="hc-interval" required error={error("intervalSeconds")} hint="1 to 50">
            <Input id="hc-interval" aria-label="Interval (s)" type="number" min={1} max={50} value={draft.interval} onChange={(e) => set({ interval: e.target.value })} className="w-32" />
          </Field>
          <Field label="Timeout (s)" htmlFor="hc-timeout" required error={error("timeoutSeconds")} hint="1 to 50; a timeout above the interval is stored as the interval.">
            <Input id="hc-timeout" aria-label="Timeout (s)" type="number" min={1} max={50} value={draft.timeout} onChange={(e) => set({ timeout: e.target.value })} className="w-32" />
          </Field>
          {http && (
            <Field label="Check Path" htmlFor="hc-path" required error={error("path")} hint={"1 to 80 characters starting with a slash (/): letters, digits and - . _ ~ ! $ & ' ( ) * + , ; = : @ % / ? #"}>
              <Input id="hc-path" aria-label="Check Path" value={draft.path} onChange={(e) => set({ path: e.target.value })} autoComplete="off" />
            </Field>
          )}
          <Field label="Maximum Retries" htmlFor="hc-retries" required error={error("maxRetries")} hint="1 to 10">
            <Input id="hc-retries" aria-label="Maximum Retries" type="number" min={1} max={10} value={draft.maxRetries} onChange={(e) => set({ maxRetries: e.target.value })} className="w-32" />
          </Field>
          {http && (
            <Field label="Expected Codes" htmlFor="hc-codes" error={error("expectedCodes") ?? firstIndexed(errors, prefix + "expectedCodes.")} hint="HTTP status codes that mean healthy, comma-separated.">
              <Input id="hc-codes" aria-label="Expected Codes" value={draft.expectedCodes} onChange={(e) => set({ expectedCodes: e.target.value })} autoComplete="off" />
            </Field>
          )}
        </>
      )}
    </>
  );
}

/** The first error under a list field ("expectedCodes.2"). */
function firstIndexed(errors: FieldErrors, prefix: string): string | undefined {
  return Object.entries(errors).find(([key]) => key.startsWith(prefix))?.[1];
}
