/** Tabs of the Settings page, in order; the value is the `?tab=` of the URL (shared by the server page and the view). */
export const settingsTabs = [
  { value: "networks", label: "Networks" },
  { value: "regions", label: "Regions and Enterprise Projects" },
  { value: "users", label: "Users" },
  { value: "engine", label: "Engine" },
  { value: "metrics", label: "Metrics and Prometheus" },
] as const;

/** One tab's `?tab=` value. */
export type SettingsTab = (typeof settingsTabs)[number]["value"];

/** The tab a `?tab=` value names; Networks for anything else. */
export function settingsTabOf(value: string | string[] | undefined): SettingsTab {
  return settingsTabs.find((t) => t.value === value)?.value ?? "networks";
}
