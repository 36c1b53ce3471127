"use client";
import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/app/_components/ui/button";
import { StatusDot } from "@/app/_components/ui/status";
import { formatDateTime } from "@/app/_lib/format";
import type { ListenerView } from "@/server/services/listener/listener-view";
import { describeAccessControl, describeListener, describeSni } from "./describe-listener";
import type { ListenerPageAction } from "./listener-page.types";

const onOff = (enabled: boolean) => <StatusDot tone={enabled ? "green" : "gray"}>{enabled ? "Enabled" : "Disabled"}</StatusDot>;

/** A value with a Configure link beside it (guide 3.6, 3.8.5: "click Configure beside …"). */
function Configurable({ label, value, onConfigure }: { label: string; value: ReactNode; onConfigure: () => void }) {
  return (
    <span className="flex gap-3">
      {value}
      <Button variant="link" aria-label={`Configure ${label}`} onClick={onConfigure}>
        Configure
      </Button>
    </span>
  );
}

/**
 * Basic Information of a listener: name, protocol/port, group, description, created; for HTTPS the
 * certificates, HTTP/2, Mutual Authentication and SNI (Configure); Access Control (Configure) on every protocol.
 */
export function ListenerBasicInformation({ listener, lbPath, onAction }: { listener: ListenerView; lbPath: string; onAction: (action: ListenerPageAction) => void }) {
  const https = listener.protocol === "HTTPS";
  const rows: [string, ReactNode][] = [
    ["Name", listener.name],
    ["ID", <span key="id" className="font-mono">{listener.id}</span>],
    ["Frontend Protocol/Port", `${listener.protocol}/${listener.port}`],
    [
      "Backend Server Group",
      listener.pool ? (
        <Link key="pool" href={`${lbPath}?tab=backend-server-groups&pool=${listener.pool.id}`} className="text-brand hover:underline">
          {listener.pool.name}
        </Link>
      ) : (
        "—"
      ),
    ],
  ];
  if (https)
    rows.push(
      ["Server Certificate", listener.serverCertificate?.name ?? "—"],
      ["HTTP/2", onOff(listener.http2Enabled)],
      ["Mutual Authentication", onOff(listener.caCertificate !== null)],
      ["CA Certificate", listener.caCertificate?.name ?? "—"],
      ["SNI", <Configurable key="sni" label="SNI" value={describeSni(listener.sni)} onConfigure={() => onAction("sni")} />],
    );
  rows.push(["Access Control", <Configurable key="ac" label="Access Control" value={describeAccessControl(listener.accessControl)} onConfigure={() => onAction("access-control")} />]);
  if (listener.protocol === "HTTP") rows.push(["Redirected To", listener.redirect ? describeListener({ ...listener.redirect.targetListener, protocol: "HTTPS" }) : "—"]);
  if (https && listener.redirectedFrom.length > 0) rows.push(["Redirected From", listener.redirectedFrom.map((r) => `${describeListener({ ...r.listener, protocol: "HTTP" })} by redirect ${r.redirectName}`).join(", ")]);
  if (listener.protocol === "HTTP" || https) rows.push(["Forwarding Policies", String(listener.forwardingPolicyCount)]);
  rows.push(["Description", listener.description || "—"], ["Created", formatDateTime(listener.createdAt)]);
  return (
    <dl className="grid grid-cols-2 gap-x-8 gap-y-2" aria-label="Basic Information">
      {rows.map(([label, value]) => (
        <div key={label} className="grid grid-cols-[11rem_1fr]">
          <dt className="text-slate-500">{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
