import { StatusDot } from "@/app/_components/ui/status";
import type { MemberHealthStatus } from "@/server/services/member/member-health";

const shown: Record<MemberHealthStatus, { tone: "green" | "red" | "gray" | "amber"; label: string; title: string }> = {
  HEALTHY: { tone: "green", label: "Healthy", title: "The last health checks succeeded." },
  UNHEALTHY: { tone: "red", label: "Unhealthy", title: "Health checks fail: the load balancer does not send requests to this server." },
  UNAVAILABLE: { tone: "amber", label: "Unavailable", title: "No health check result yet, or the engine is not running." },
  DISABLED: { tone: "gray", label: "Health check disabled", title: "Without a health check the server is considered healthy." },
};

/** The Health Check Result of a backend server. */
export function HealthStatus({ status }: { status: MemberHealthStatus }) {
  const { tone, label, title } = shown[status];
  return (
    <span title={title}>
      <StatusDot tone={tone}>{label}</StatusDot>
    </span>
  );
}
