import { StatusDot } from "@/app/_components/ui/status";
import type { MemberHealthStatus, MemberPassiveHealth } from "@/server/services/member/member-health";

const shown: Record<MemberHealthStatus, { tone: "green" | "red" | "gray" | "amber"; label: string; title: string }> = {
  HEALTHY: { tone: "green", label: "Healthy", title: "The last health checks succeeded." },
  UNHEALTHY: { tone: "red", label: "Unhealthy", title: "Health checks fail: the load balancer does not send requests to this server." },
  UNAVAILABLE: { tone: "amber", label: "Unavailable", title: "No health check result yet, or the engine is not running." },
  DISABLED: { tone: "gray", label: "Health check disabled", title: "Without a health check the server is considered healthy." },
};

const connections = (n: number) => `${n} failed connection${n === 1 ? "" : "s"}`;

/** What the passive health note says: the label in the cell and its tooltip. */
export function passiveHealthNote(passive: MemberPassiveHealth): { label: string; title: string } {
  const failures = connections(passive.consecutiveFailures);
  if (passive.ejected)
    return {
      label: `Ejected after ${failures}`,
      title:
        `Passive health check: the load balancer could not connect to this server ${passive.consecutiveFailures} time(s) in a row and temporarily stopped sending it new requests. ` +
        "It tries the server again after a short pause; one successful connection brings it back.",
    };
  return {
    label: `${failures} in a row`,
    title: "Passive health check: recent requests could not connect to this server. If this goes on, the load balancer temporarily stops sending it new requests.",
  };
}

/** The Health Check Result of a backend server, with the passive health warning when there is one. */
export function HealthStatus({ status, passive }: { status: MemberHealthStatus; passive?: MemberPassiveHealth | null }) {
  const { tone, label, title } = shown[status];
  const note = passive ? passiveHealthNote(passive) : null;
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <span title={title}>
        <StatusDot tone={tone}>{label}</StatusDot>
      </span>
      {note && (
        <span
          role="status"
          title={note.title}
          aria-label={`${note.label}. ${note.title}`}
          className={
            passive?.ejected
              ? "inline-block rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800 ring-1 ring-amber-300"
              : "inline-block rounded bg-slate-50 px-1.5 py-0.5 text-xs text-slate-600 ring-1 ring-slate-200"
          }
        >
          {passive?.ejected && <span aria-hidden="true">⚠ </span>}
          {note.label}
        </span>
      )}
    </span>
  );
}
