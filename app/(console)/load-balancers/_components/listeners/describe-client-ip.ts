import type { ClientIpTransport } from "@/db/schema/pools";
import { realIpHeaderLabels, xForwardedForModeLabels, type ClientIpSettings } from "@/server/services/listener/client-ip.schemas";
import { clientIpTransportLabels } from "@/server/services/pool/client-ip-transport";

/** Short texts the listener page shows for the client IP settings (issue 10). */

/** "Disabled", or "Enabled (PROXY protocol v2)" with the group's Client IP Transport. */
export function describeTransferClientIp(enabled: boolean, transport: ClientIpTransport | null): string {
  if (!enabled) return "Disabled";
  return transport ? `Enabled (${clientIpTransportLabels[transport]})` : "Enabled";
}

/** The Trusted IPs as entered, comma-separated, or "None". */
export const describeTrustedIps = (trustedIps: readonly string[]) => (trustedIps.length === 0 ? "None" : trustedIps.join(", "));

/** "Append", "Append (trusted IPs only)", "Replace" or "Remove". */
export function describeXForwardedFor(settings: Pick<ClientIpSettings, "xForwardedForMode" | "xForwardedForTrustedOnly">): string {
  const mode = xForwardedForModeLabels[settings.xForwardedForMode];
  return settings.xForwardedForMode === "APPEND" && settings.xForwardedForTrustedOnly ? `${mode} (trusted IPs only)` : mode;
}

/** "None", or the header with ", recursive" when Real IP Recursive is on. */
export function describeRealIpHeader(settings: Pick<ClientIpSettings, "realIpHeader" | "realIpRecursive">): string {
  const header = realIpHeaderLabels[settings.realIpHeader];
  return settings.realIpHeader !== "NONE" && settings.realIpRecursive ? `${header}, recursive` : header;
}
