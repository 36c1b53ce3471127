import type { SyslogTargetInput } from "./log-stream.schemas";

/** The stream's syslog columns for a forwarding target, or all null when forwarding is off. */
export function syslogColumns(syslog: SyslogTargetInput | null) {
  return { syslogProtocol: syslog?.protocol ?? null, syslogHost: syslog?.host ?? null, syslogPort: syslog?.port ?? null };
}
