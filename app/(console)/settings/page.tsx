import { SettingsView } from "./_components/settings-view";
import { settingsTabOf } from "./_components/settings-tabs";

/** Settings: networks, regions and enterprise projects, users, engine (`?tab=` picks the tab). */
export default async function SettingsPage({ searchParams }: { searchParams: Promise<{ tab?: string | string[] }> }) {
  const tab = settingsTabOf((await searchParams).tab);
  // Keyed by tab: back/forward between ?tab= values shows the right tab.
  return <SettingsView key={tab} initialTab={tab} />;
}
