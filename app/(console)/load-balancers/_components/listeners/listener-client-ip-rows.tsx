import type { ReactNode } from "react";
import type { InfoRow } from "@/app/_components/ui/info-list";
import type { ListenerView } from "@/server/services/listener/listener-view";
import { describeRealIpHeader, describeTransferClientIp, describeTrustedIps, describeXForwardedFor } from "./describe-client-ip";

/**
 * The client IP rows of a listener's Basic Information (issue 10): Transfer Client IP Address on TCP/UDP
 * (with its group's Client IP Transport), Proxy Protocol and Trusted IPs on TCP/HTTP/HTTPS, the
 * X-Forwarded-* headers and Real IP Header on HTTP/HTTPS. `onOff` renders a switch state.
 */
export function listenerClientIpRows(listener: ListenerView, onOff: (enabled: boolean) => ReactNode): InfoRow[] {
  const c = listener.clientIp;
  const rows: InfoRow[] = [];
  if (listener.protocol === "TCP" || listener.protocol === "UDP")
    rows.push(["Transfer Client IP Address", describeTransferClientIp(c.transferClientIp, listener.pool?.clientIpTransport ?? null)]);
  if (listener.protocol === "UDP") return rows;
  rows.push(["Proxy Protocol", onOff(c.proxyProtocolAccept)], ["Trusted IPs", describeTrustedIps(c.trustedIps)]);
  if (listener.protocol === "TCP") return rows;
  rows.push(
    ["X-Forwarded-For", describeXForwardedFor(c)],
    ["X-Forwarded-Proto", onOff(c.xForwardedProto)],
    ["X-Forwarded-Port", onOff(c.xForwardedPort)],
    ["X-Forwarded-Host", onOff(c.xForwardedHost)],
    ["X-Real-IP", onOff(c.xRealIp)],
    ["Real IP Header", describeRealIpHeader(c)],
  );
  return rows;
}
