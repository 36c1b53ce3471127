"use client";
import type { ClientIpTransport, PoolProtocol } from "@/db/schema/pools";
import { Field } from "@/app/_components/ui/field";
import { clientIpTransportHints, clientIpTransportLabels, clientIpTransportsFor } from "@/server/services/pool/client-ip-transport";

/**
 * Client IP Transport of a TCP/UDP backend server group (issue 10): one radio per choice the protocol
 * offers, each with its one-line explanation. Nothing for HTTP groups (they get X-Forwarded-For).
 */
export function ClientIpTransportField({ protocol, value, onChange, error }: { protocol: PoolProtocol; value: ClientIpTransport; onChange: (value: ClientIpTransport) => void; error?: string }) {
  const choices = clientIpTransportsFor(protocol);
  if (choices.length === 0) return null;
  return (
    <Field label="Client IP Transport" error={error} hint="How the backend servers get the client's address when the listener has Transfer Client IP Address enabled.">
      <div role="radiogroup" aria-label="Client IP Transport" className="space-y-1.5 pt-1">
        {choices.map((choice) => (
          <label key={choice} className="flex cursor-pointer items-start gap-2">
            <input type="radio" name="client-ip-transport" value={choice} checked={value === choice} onChange={() => onChange(choice)} className="mt-1" />
            <span>
              <span className="font-medium">{clientIpTransportLabels[choice]}</span>
              <span className="block text-xs text-slate-500">{clientIpTransportHints[choice]}</span>
            </span>
          </label>
        ))}
      </div>
    </Field>
  );
}
