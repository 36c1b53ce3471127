/** A time range choice of the Monitoring views: a preset back from now, or custom from–to. */
export type TimeRangePreset = "1h" | "3h" | "12h" | "1d" | "7d" | "custom";

/** The presets in the order the picker shows them, with their length in ms (custom has none). */
export const TIME_RANGE_PRESETS: readonly { value: TimeRangePreset; label: string; ms?: number }[] = [
  { value: "1h", label: "1 h", ms: 3_600_000 },
  { value: "3h", label: "3 h", ms: 3 * 3_600_000 },
  { value: "12h", label: "12 h", ms: 12 * 3_600_000 },
  { value: "1d", label: "1 d", ms: 24 * 3_600_000 },
  { value: "7d", label: "7 d", ms: 7 * 24 * 3_600_000 },
  { value: "custom", label: "Custom" },
];

/** The time range a view shows; default 1 h. Custom from/to are `datetime-local` texts (browser time). */
export interface TimeRangeChoice {
  preset: TimeRangePreset;
  customFrom?: string;
  customTo?: string;
}

/** A resolved range in ms, or the message saying what is wrong with a custom one. */
export type ResolvedRange = { ok: true; from: number; to: number } | { ok: false; field: "From" | "To"; message: string };

/**
 * The [from, to] a choice means at `now` (ms): a preset reaches back its length from now; a custom range
 * needs both times, From before To, and To not in the future (a future To is clipped to now).
 */
export function resolveTimeRange(choice: TimeRangeChoice, now: number): ResolvedRange {
  const preset = TIME_RANGE_PRESETS.find((p) => p.value === choice.preset);
  if (preset?.ms !== undefined) return { ok: true, from: now - preset.ms, to: now };
  const from = choice.customFrom ? new Date(choice.customFrom).getTime() : NaN;
  const to = choice.customTo ? new Date(choice.customTo).getTime() : NaN;
  if (Number.isNaN(from)) return { ok: false, field: "From", message: "From: enter a date and time." };
  if (Number.isNaN(to)) return { ok: false, field: "To", message: "To: enter a date and time." };
  if (from >= now) return { ok: false, field: "From", message: "From must be in the past." };
  if (from >= to) return { ok: false, field: "To", message: "To must be later than From." };
  return { ok: true, from, to: Math.min(to, now) };
}

/** A ms time as a `datetime-local` input's value in the browser's time zone ("2026-12-01T10:05"). */
export function toDateTimeLocal(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A series' resolution as the view names it: "1-minute points", "5-minute points", "1-hour points". */
export function resolutionLabel(resolutionSeconds: number): string {
  if (resolutionSeconds % 3600 === 0) return `${resolutionSeconds / 3600}-hour points`;
  if (resolutionSeconds % 60 === 0) return `${resolutionSeconds / 60}-minute points`;
  return `${resolutionSeconds}-second points`;
}
