import type { ListenerProtocol } from "@/db/schema/listeners";
import { CLIENT_IP_FIELDS, clientIpFieldApplies, DEFAULT_CLIENT_IP_SETTINGS, type ClientIpFieldsInput, type ClientIpSettings } from "@/server/services/listener/client-ip.schemas";

/** What the client IP fields of Add/Modify Listener hold while the user edits them: Trusted IPs as the text typed. */
export type ClientIpDraft = Omit<ClientIpSettings, "trustedIps"> & { trustedIps: string };

/** A new listener: the defaults (X-Forwarded-Proto on, the rest off, no Trusted IPs). */
export const newClientIpDraft = (): ClientIpDraft => clientIpDraftOf(DEFAULT_CLIENT_IP_SETTINGS);

/** The form for an existing listener (Modify Listener): Trusted IPs comma-separated, as entered. */
export function clientIpDraftOf(settings: Readonly<ClientIpSettings>): ClientIpDraft {
  return { ...settings, trustedIps: settings.trustedIps.join(",") };
}

/**
 * The client IP input of a draft: only the fields the protocol takes (the server refuses the others), so
 * switching Frontend Protocol in Add Listener never sends what the new protocol does not use. With
 * `stored` (Modify Listener) only the fields that differ from it are sent, so the "update listener"
 * trace names exactly what changed.
 */
export function clientIpInputOf(protocol: ListenerProtocol, draft: ClientIpDraft, stored?: Readonly<ClientIpSettings>): ClientIpFieldsInput {
  const before = stored ? clientIpDraftOf(stored) : null;
  const input: Record<string, unknown> = {};
  for (const field of CLIENT_IP_FIELDS) if (clientIpFieldApplies(field, protocol) && (!before || before[field] !== draft[field])) input[field] = draft[field];
  return input as ClientIpFieldsInput;
}

/** Whether a draft differs from the defaults in a field under the "Client IP" section (so it opens by itself). */
export function clientIpSectionChanged(protocol: ListenerProtocol, draft: ClientIpDraft): boolean {
  const defaults = newClientIpDraft();
  return CLIENT_IP_FIELDS.some((field) => field !== "transferClientIp" && clientIpFieldApplies(field, protocol) && draft[field] !== defaults[field]);
}

/**
 * How long enabling or disabling Transfer Client IP Address interrupts the listener's traffic (seed 000):
 * twice the health check interval of its backend server group, or "about 10 seconds" without one.
 */
export function transferInterruption(healthCheckIntervalSeconds: number | null): string {
  if (healthCheckIntervalSeconds === null || !Number.isFinite(healthCheckIntervalSeconds) || healthCheckIntervalSeconds <= 0) return "about 10 seconds";
  return `about ${2 * healthCheckIntervalSeconds} seconds (twice the health check interval of ${healthCheckIntervalSeconds} s)`;
}
