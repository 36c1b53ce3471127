"use client";
import Link from "next/link";
import { InfoList, WithAction, type InfoRow } from "@/app/_components/ui/info-list";
import { StatusDot } from "@/app/_components/ui/status";
import { formatDateTime } from "@/app/_lib/format";
import type { ListenerView } from "@/server/services/listener/listener-view";
import { describeAccessControl, describeListener, describeSni } from "./describe-listener";
import type { ListenerPageAction } from "./listener-page.types";
import { listenerClientIpRows } from "./listener-client-ip-rows";

const onOff = (enabled: boolean) => <StatusDot tone={enabled ? "green" : "gray"}>{enabled ? "Enabled" : "Disabled"}</StatusDot>;

/**
 * Basic Information of a listener: name, protocol/port, group, description, created; for HTTPS the
 * certificates, HTTP/2, Mutual Authentication and SNI (Configure); Access Control (Configure) on every
 * protocol; the client IP settings (issue 10, changed in Modify Listener).
 */
export function ListenerBasicInformation({ listener, lbPath, onAction }: { listener: ListenerView; lbPath: string; onAction: (action: ListenerPageAction) => void }) {
  const https = listener.protocol === "HTTPS";
  const rows: InfoRow[] = [
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
      [
        "SNI",
        <WithAction key="sni" action="Configure" name="Configure SNI" onAction={() => onAction("sni")}>
          {describeSni(listener.sni)}
        </WithAction>,
      ],
    );
  rows.push([
    "Access Control",
    <WithAction key="ac" action="Configure" name="Configure Access Control" onAction={() => onAction("access-control")}>
      {describeAccessControl(listener.accessControl)}
    </WithAction>,
  ]);
  if (listener.protocol === "HTTP") rows.push(["Redirected To", listener.redirect ? describeListener({ ...listener.redirect.targetListener, protocol: "HTTPS" }) : "—"]);
  if (https && listener.redirectedFrom.length > 0) rows.push(["Redirected From", listener.redirectedFrom.map((r) => `${describeListener({ ...r.listener, protocol: "HTTP" })} by redirect ${r.redirectName}`).join(", ")]);
  if (listener.protocol === "HTTP" || https) rows.push(["Forwarding Policies", String(listener.forwardingPolicyCount)]);
  rows.push(...listenerClientIpRows(listener, onOff));
  rows.push(["Description", listener.description || "—"], ["Created", formatDateTime(listener.createdAt)]);
  return <InfoList label="Basic Information" rows={rows} />;
}
