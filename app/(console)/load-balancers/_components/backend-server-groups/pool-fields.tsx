"use client";
import type { Algorithm, PoolProtocol, StickySessionType } from "@/db/schema/pools";
import { Field, Input, Select, Textarea } from "@/app/_components/ui/field";
import { algorithmLabels, maxStickinessMinutes, stickinessDurationAllowed, stickySessionAllowed, stickySessionTypeLabels, stickySessionTypesFor } from "@/server/services/pool/pool.schemas";
import { changePoolDraft, type PoolDraft } from "./pool-draft";
import type { FieldErrors } from "@/app/_lib/form-errors";
import { Switch } from "./switch";
import { ClientIpTransportField } from "./client-ip-transport-field";

const ALGORITHMS: Algorithm[] = ["ROUND_ROBIN", "LEAST_CONNECTIONS", "SOURCE_IP"];
const PROTOCOLS: PoolProtocol[] = ["TCP", "UDP", "HTTP"];

/**
 * The fields of a backend server group (tables 3-4 and 4-1): Name, Backend Protocol, Load Balancing
 * Algorithm, Sticky Session (type, cookie name, duration — table 10-1 decides which types are offered, guide
 * 3.5 shows the duration only with Weighted round robin), Client IP Transport (TCP/UDP, issue 10), Description.
 * `prefix` is where these fields sit in the input ("pool." in Add Listener) for error messages.
 */
export function PoolFields({ draft, onChange, errors, prefix = "", protocolEditable = false }: { draft: PoolDraft; onChange: (draft: PoolDraft) => void; errors: FieldErrors; prefix?: string; protocolEditable?: boolean }) {
  const set = (change: Partial<PoolDraft>) => onChange(changePoolDraft(draft, change));
  const error = (field: string) => errors[prefix + field];
  const stickyAllowed = stickySessionAllowed(draft.protocol, draft.algorithm);
  const durationAllowed = stickinessDurationAllowed(draft.algorithm);
  const maxMinutes = maxStickinessMinutes(draft.protocol);
  return (
    <>
      <Field label="Name" htmlFor="pool-name" required error={error("name")}>
        <Input id="pool-name" aria-label="Name" value={draft.name} onChange={(e) => set({ name: e.target.value })} autoComplete="off" />
      </Field>
      <Field label="Backend Protocol" htmlFor="pool-protocol" required error={error("protocol")} hint={protocolEditable ? undefined : "The backend protocol matches the frontend protocol and cannot be changed."}>
        <Select id="pool-protocol" aria-label="Backend Protocol" value={draft.protocol} disabled={!protocolEditable} onChange={(e) => set({ protocol: e.target.value as PoolProtocol })}>
          {PROTOCOLS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Load Balancing Algorithm" htmlFor="pool-algorithm" required error={error("algorithm")}>
        <Select id="pool-algorithm" aria-label="Load Balancing Algorithm" value={draft.algorithm} onChange={(e) => set({ algorithm: e.target.value as Algorithm })}>
          {ALGORITHMS.map((a) => (
            <option key={a} value={a}>
              {algorithmLabels[a]}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        label="Sticky Session"
        htmlFor="pool-sticky"
        error={error("stickySession")}
        hint={
          !stickyAllowed
            ? "Not supported with Weighted least connections."
            : durationAllowed
              ? "All requests from a client during one session go to the same backend server."
              : "With Source IP hash: Source IP address only, without a stickiness duration."
        }
      >
        <Switch id="pool-sticky" label="Sticky Session" checked={draft.sticky} disabled={!stickyAllowed} onChange={(sticky) => set({ sticky })} />
      </Field>
      {draft.sticky && (
        <>
          <Field label="Sticky Session Type" htmlFor="pool-sticky-type" required error={error("stickySession.type")}>
            <Select id="pool-sticky-type" aria-label="Sticky Session Type" value={draft.stickyType} onChange={(e) => set({ stickyType: e.target.value as StickySessionType })}>
              {stickySessionTypesFor(draft.protocol, draft.algorithm).map((t) => (
                <option key={t} value={t}>
                  {stickySessionTypeLabels[t]}
                </option>
              ))}
            </Select>
          </Field>
          {draft.stickyType === "APP_COOKIE" && (
            <Field label="Cookie Name" htmlFor="pool-cookie-name" required error={error("stickySession.cookieName")} hint="1 to 64 characters: letters, digits, underscores (_), hyphens (-) and periods (.)">
              <Input id="pool-cookie-name" aria-label="Cookie Name" value={draft.cookieName} onChange={(e) => set({ cookieName: e.target.value })} autoComplete="off" />
            </Field>
          )}
          {durationAllowed && (
            <Field label="Stickiness Duration (min)" htmlFor="pool-sticky-duration" required error={error("stickySession.durationMinutes")} hint={`1 to ${maxMinutes} minutes`}>
              <Input id="pool-sticky-duration" aria-label="Stickiness Duration (min)" type="number" min={1} max={maxMinutes} value={draft.duration} onChange={(e) => set({ duration: e.target.value })} className="w-32" />
            </Field>
          )}
        </>
      )}
      <ClientIpTransportField protocol={draft.protocol} value={draft.clientIpTransport} onChange={(clientIpTransport) => set({ clientIpTransport })} error={error("clientIpTransport")} />
      <Field label="Description" htmlFor="pool-description" error={error("description")}>
        <Textarea id="pool-description" aria-label="Description" value={draft.description} onChange={(e) => set({ description: e.target.value })} />
      </Field>
    </>
  );
}
