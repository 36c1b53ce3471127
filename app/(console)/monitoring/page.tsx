import { MonitoringOverview } from "./_components/monitoring-overview";

/** Monitoring overview (guide 8.3): every load balancer of the project with its key numbers and a sparkline. */
export default function MonitoringPage() {
  return <MonitoringOverview />;
}
