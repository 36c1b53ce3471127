"use client";
import { useState } from "react";
import type { ListenerProtocol, RealIpHeader, XForwardedForMode } from "@/db/schema/listeners";
import { Field, Select, Textarea } from "@/app/_components/ui/field";
import type { FieldErrors } from "@/app/_lib/form-errors";
import { CLIENT_IP_FIELDS, realIpHeaderLabels, xForwardedForModeLabels } from "@/server/services/listener/client-ip.schemas";
import { TRUSTED_IPS_LIMIT } from "@/server/services/listener/trusted-ips";
import { Switch } from "../backend-server-groups/switch";
import { clientIpSectionChanged, transferInterruption, type ClientIpDraft } from "./client-ip-draft";

const MODES: XForwardedForMode[] = ["APPEND", "REPLACE", "REMOVE"];
const MODE_HINTS: Record<XForwardedForMode, string> = {
  APPEND: "Adds the address of the client to the X-Forwarded-For the client sent; without one, the header is just the client's address.",
  REPLACE: "Sends only the address of the client; an X-Forwarded-For the client sent is dropped.",
  REMOVE: "Sends no X-Forwarded-For: an X-Forwarded-For the client sent is dropped too.",
};
const REAL_IP_HEADERS: RealIpHeader[] = ["NONE", "X_FORWARDED_FOR", "X_REAL_IP", "PROXY_PROTOCOL"];
const HEADER_SWITCHES = [
  { field: "xForwardedProto", label: "X-Forwarded-Proto", hint: "The protocol the client used (http or https)." },
  { field: "xForwardedPort", label: "X-Forwarded-Port", hint: "The listener port the client connected to." },
  { field: "xForwardedHost", label: "X-Forwarded-Host", hint: "The Host the client asked for." },
  { field: "xRealIp", label: "X-Real-IP", hint: "The address of the client alone." },
] as const;

/** The seed's warnings beside Transfer Client IP Address, shown while it is on or being switched. */
function TransferWarnings({ interruption }: { interruption: string }) {
  return (
    <div role="note" aria-label="Transfer Client IP Address warnings" className="mt-2 rounded bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-200">
      <ul className="list-disc space-y-1 pl-4">
        <li>
          A backend server of this listener cannot also be its client: it would take the packets from the load balancer as sent by itself and not answer them, so the return traffic is
          interrupted.
        </li>
        <li>Enabling or disabling it interrupts the traffic to this listener for {interruption} while its backend servers are checked again.</li>
        <li>Allow the addresses of the clients in the backend servers&apos; security groups, network ACLs and firewalls.</li>
      </ul>
    </div>
  );
}

/**
 * The client IP fields of Add/Modify Listener (issue 10; seeds 000, 001, 003, 004): Transfer Client IP
 * Address on TCP/UDP (its warnings beside it while on or being switched); for TCP/HTTP/HTTPS a "Client IP"
 * section (collapsed until opened, as HTTPS's Advanced Settings) with Proxy Protocol and Trusted IPs, and
 * for HTTP/HTTPS the X-Forwarded-* headers and Real IP Header. `storedTransfer` is the listener's current
 * value (Modify; false on Add); `healthCheckIntervalSeconds` is its group's (null: none).
 */
export function ClientIpFields({
  protocol,
  draft,
  onChange,
  errors,
  storedTransfer = false,
  healthCheckIntervalSeconds,
}: {
  protocol: ListenerProtocol;
  draft: ClientIpDraft;
  onChange: (draft: ClientIpDraft) => void;
  errors: FieldErrors;
  storedTransfer?: boolean;
  healthCheckIntervalSeconds: number | null;
}) {
  const [expanded, setExpanded] = useState(() => clientIpSectionChanged(protocol, draft));
  const set = (change: Partial<ClientIpDraft>) => onChange({ ...draft, ...change });
  const l4 = protocol === "TCP" || protocol === "UDP";
  const l7 = protocol === "HTTP" || protocol === "HTTPS";
  const hasError = CLIENT_IP_FIELDS.some((field) => field !== "transferClientIp" && errors[field]);
  const open = expanded || hasError;
  return (
    <>
      {l4 && (
        <Field
          label="Transfer Client IP Address"
          htmlFor="listener-transfer-client-ip"
          error={errors.transferClientIp}
          hint="Backend servers see the address of the client instead of the load balancer's, carried as the backend server group's Client IP Transport says (Transparent or PROXY protocol)."
        >
          <Switch id="listener-transfer-client-ip" label="Transfer Client IP Address" checked={draft.transferClientIp} onChange={(transferClientIp) => set({ transferClientIp })} />
          {(draft.transferClientIp || draft.transferClientIp !== storedTransfer) && <TransferWarnings interruption={transferInterruption(healthCheckIntervalSeconds)} />}
        </Field>
      )}
      {protocol !== "UDP" && (
        <div className="py-2">
          <button type="button" aria-expanded={open} onClick={() => setExpanded(!open)} className="font-medium text-brand hover:underline">
            <span aria-hidden>{open ? "▾" : "▸"}</span> Client IP
          </button>
        </div>
      )}
      {protocol !== "UDP" && open && (
        <>
          <Field
            label="Proxy Protocol"
            htmlFor="listener-proxy-protocol"
            error={errors.proxyProtocolAccept}
            hint="Accepts a PROXY protocol header (v1 or v2, detected on each connection) from the Trusted IPs: a proxy in front passes the client's address. A header from any other peer, or a malformed one, closes the connection."
          >
            <Switch id="listener-proxy-protocol" label="Proxy Protocol" checked={draft.proxyProtocolAccept} onChange={(proxyProtocolAccept) => set({ proxyProtocolAccept })} />
          </Field>
          <Field
            label="Trusted IPs"
            htmlFor="listener-trusted-ips"
            required={draft.proxyProtocolAccept || (l7 && draft.realIpHeader !== "NONE")}
            error={errors.trustedIps}
            hint={`IPv4 or IPv6 addresses and CIDR blocks of the proxies in front, separated by commas, at most ${TRUSTED_IPS_LIMIT}: only they are believed (PROXY header${l7 ? ", Real IP Header" : ""}).`}
          >
            <Textarea id="listener-trusted-ips" aria-label="Trusted IPs" rows={2} placeholder="e.g. 192.168.0.10, 10.0.0.0/8, 2001:db8::/32" value={draft.trustedIps} onChange={(e) => set({ trustedIps: e.target.value })} />
          </Field>
          {l7 && (
            <>
              <Field label="X-Forwarded-For" htmlFor="listener-x-forwarded-for" error={errors.xForwardedForMode ?? errors.xForwardedForTrustedOnly} hint={MODE_HINTS[draft.xForwardedForMode]}>
                <Select id="listener-x-forwarded-for" aria-label="X-Forwarded-For" value={draft.xForwardedForMode} onChange={(e) => set({ xForwardedForMode: e.target.value as XForwardedForMode, ...(e.target.value !== "APPEND" && { xForwardedForTrustedOnly: false }) })} className="w-40">
                  {MODES.map((m) => (
                    <option key={m} value={m}>
                      {xForwardedForModeLabels[m]}
                    </option>
                  ))}
                </Select>
                {draft.xForwardedForMode === "APPEND" && (
                  <label className="mt-2 flex items-center gap-2 text-sm text-slate-600">
                    <input type="checkbox" checked={draft.xForwardedForTrustedOnly} onChange={(e) => set({ xForwardedForTrustedOnly: e.target.checked })} />
                    Trust X-Forwarded-For only from trusted IPs
                  </label>
                )}
              </Field>
              {HEADER_SWITCHES.map(({ field, label, hint }) => (
                <Field key={field} label={label} htmlFor={`listener-${field}`} error={errors[field]} hint={hint}>
                  <Switch id={`listener-${field}`} label={label} checked={draft[field]} onChange={(on) => set({ [field]: on })} />
                </Field>
              ))}
              <Field
                label="Real IP Header"
                htmlFor="listener-real-ip-header"
                error={errors.realIpHeader}
                hint="From a trusted IP, the client's address is taken from this header (proxy_protocol: from the PROXY header, needs Proxy Protocol)."
              >
                <Select id="listener-real-ip-header" aria-label="Real IP Header" value={draft.realIpHeader} onChange={(e) => set({ realIpHeader: e.target.value as RealIpHeader })} className="w-48">
                  {REAL_IP_HEADERS.map((h) => (
                    <option key={h} value={h}>
                      {realIpHeaderLabels[h]}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field
                label="Real IP Recursive"
                htmlFor="listener-real-ip-recursive"
                error={errors.realIpRecursive}
                hint="On: the client is the last address of the chain that is not a trusted IP. Off: the last address of the chain."
              >
                <Switch id="listener-real-ip-recursive" label="Real IP Recursive" checked={draft.realIpRecursive} onChange={(realIpRecursive) => set({ realIpRecursive })} />
              </Field>
            </>
          )}
        </>
      )}
    </>
  );
}
