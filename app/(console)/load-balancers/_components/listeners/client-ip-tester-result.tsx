"use client";
import type { ReactNode } from "react";
import type { ClientIpTestResult, Endpoint, ReceivedProxyHeader } from "@/server/services/client-ip-test/client-ip-test.types";

/** One label/value row of the result. */
type Row = readonly [label: string, value: ReactNode];

/** A one-column label/value list (the dialog is too narrow for Basic Information's two columns). */
function Rows({ label, rows }: { label: string; rows: readonly Row[] }) {
  return (
    <dl aria-label={label} className="grid grid-cols-[9rem_1fr] gap-x-4 gap-y-1">
      {rows.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-slate-500">{term}</dt>
          <dd className="break-all">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

const endpoint = (e: Endpoint | null) => (e ? (e.address.includes(":") ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`) : "—");

/** A decoded PROXY header in one line: "v2 PROXY STREAM 127.0.0.77:40000 → 127.0.0.1:8080". */
function describeProxyHeader(h: ReceivedProxyHeader): string {
  const addresses = h.source ? ` ${endpoint(h.source)} → ${endpoint(h.destination)}` : " (no addresses)";
  const tlvs = h.tlvTypes.length ? `, TLVs ${h.tlvTypes.map((t) => `0x${t.toString(16).padStart(2, "0")}`).join(" ")}` : "";
  return `v${h.version} ${h.command} ${h.transport}${addresses}${tlvs}`;
}

/**
 * The result of a client-IP test: one line of interpretation, "What a backend sees" (source address,
 * PROXY header or none, the HTTP request's headers with the client-IP ones highlighted), the test's own
 * path (client → test listener → echo target, and the answer), notes, and the engine's log when nothing arrived.
 */
export function ClientIpTesterResult({ result }: { result: ClientIpTestResult }) {
  const b = result.backend;
  const backendRows: Row[] = b
    ? [
        ["Source Address", <span key="src" className="font-mono">{endpoint(b.source)}</span>],
        ["PROXY Header", <span key="proxy" className="font-mono">{b.proxyHeader ? describeProxyHeader(b.proxyHeader) : b.proxyHeaderProblem ? `invalid: ${b.proxyHeaderProblem}` : "none"}</span>],
        ...(b.requestLine !== null ? ([["Request Line", <span key="rl" className="font-mono">{b.requestLine}</span>]] as Row[]) : []),
        ...(b.payload !== null ? ([["Data", <span key="data" className="font-mono">{b.payload || "—"}</span>]] as Row[]) : []),
      ]
    : [];
  const answer = result.answer;
  const testRows: Row[] = [
    ["Client", <span key="client" className="font-mono">{endpoint(result.client)}</span>],
    ["Test Listener", <span key="engine" className="font-mono">{endpoint(result.engine)}</span>],
    ["Echo Target", <span key="echo" className="font-mono">{endpoint(result.echoTarget)}</span>],
    ["Answer", answer.status !== null ? `${answer.status} ${answer.text ?? ""}${answer.location ? ` → ${answer.location}` : ""}` : (answer.text ?? answer.problem ?? "—")],
    ["Duration", `${(result.durationMs / 1000).toFixed(1)} s`],
  ];
  return (
    <div className="space-y-4">
      <p role="status" aria-label="Interpretation" className={`rounded px-3 py-2 ring-1 ${result.reached ? "bg-emerald-50 text-emerald-900 ring-emerald-200" : "bg-amber-50 text-amber-900 ring-amber-200"}`}>
        {result.interpretation}
      </p>
      <section aria-label="What a backend sees">
        <h3 className="mb-2 font-semibold">What a backend sees</h3>
        {b ? <Rows label="Received by the backend" rows={backendRows} /> : <p>Nothing reached the echo target.</p>}
        {b && b.headers.length > 0 && (
          <table aria-label="HTTP headers received" className="mt-3 w-full text-left text-sm">
            <thead>
              <tr className="border-b border-slate-200 text-slate-500">
                <th className="py-1 pr-4 font-normal">Header</th>
                <th className="py-1 font-normal">Value</th>
              </tr>
            </thead>
            <tbody>
              {b.headers.map((h, i) => (
                <tr key={i} className={h.clientIp ? "bg-amber-50 font-semibold" : ""}>
                  <td className="py-1 pr-4 font-mono">{h.name}</td>
                  <td className="py-1 font-mono break-all">{h.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-label="The test">
        <h3 className="mb-2 font-semibold">The test</h3>
        <Rows label="Test path" rows={testRows} />
      </section>
      {result.notes.length > 0 && (
        <ul aria-label="Notes" className="list-disc pl-5 text-slate-600">
          {result.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {result.engineLog.length > 0 && (
        <section aria-label="Test engine log">
          <h3 className="mb-1 font-semibold">Test engine log</h3>
          <pre className="max-h-40 overflow-auto rounded bg-slate-900 p-2 text-xs text-slate-100">{result.engineLog.join("\n")}</pre>
        </section>
      )}
    </div>
  );
}
