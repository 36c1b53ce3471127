import type { AlarmState } from "@/db/schema/alarms";
import { StatusDot } from "@/app/_components/ui/status";
import { STATE_LABELS } from "./alarm-rule-labels";

const TONES = { OK: "green", ALARM: "red", INSUFFICIENT_DATA: "gray" } as const;

/** An alarm rule's state: OK (green), Alarm (red), Insufficient data (gray). */
export function AlarmStateBadge({ state }: { state: AlarmState }) {
  return <StatusDot tone={TONES[state]}>{STATE_LABELS[state]}</StatusDot>;
}
