import type { ListenerTab } from "./listener-page.types";

/** Short texts the listener page shows for a listener's settings. */

/** "Disabled", or "Enabled (N entries)" with the whitelist's size (guide 3.6: enabled with none admits nobody). */
export function describeAccessControl(accessControl: { enabled: boolean; whitelist: readonly string[] }): string {
  if (!accessControl.enabled) return "Disabled";
  const n = accessControl.whitelist.length;
  return `Enabled (${n} ${n === 1 ? "entry" : "entries"})`;
}

/** "Disabled", or "Enabled (N certificates)" for SNI. */
export function describeSni(sni: { enabled: boolean; certificates: readonly unknown[] }): string {
  if (!sni.enabled) return "Disabled";
  const n = sni.certificates.length;
  return `Enabled (${n} ${n === 1 ? "certificate" : "certificates"})`;
}

/** A listener as "name (HTTPS/443)". */
export const describeListener = (listener: { name: string; protocol?: string; port: number }) => `${listener.name} (${listener.protocol ?? "HTTPS"}/${listener.port})`;

/** The whitelist as the dialog's text: the entries joined by commas, as the guide's example writes them. */
export const whitelistText = (whitelist: readonly string[]) => whitelist.join(",");

/** Tabs of a listener's page by frontend protocol: Forwarding Policies on HTTP/HTTPS, Redirects on HTTP only. */
export function listenerTabsFor(protocol: string): { value: ListenerTab; label: string }[] {
  if (protocol === "HTTP")
    return [
      { value: "forwarding-policies", label: "Forwarding Policies" },
      { value: "redirects", label: "Redirects" },
    ];
  if (protocol === "HTTPS") return [{ value: "forwarding-policies", label: "Forwarding Policies" }];
  return [];
}
