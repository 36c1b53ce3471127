"use client";
import { hasLayer7Metrics } from "./monitoring-metrics";
import { MonitoringView } from "./monitoring-view";

/** A listener page's Monitoring tab: the listener's charts (layer-7 metrics when its frontend is HTTP/HTTPS). */
export function ListenerMonitoring({ listener }: { listener: { id: string; protocol: string } }) {
  return <MonitoringView objectKind="LISTENER" objectId={listener.id} layer7={hasLayer7Metrics(listener.protocol)} />;
}
