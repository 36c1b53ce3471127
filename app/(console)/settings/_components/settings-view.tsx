"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { PageHeader } from "@/app/_components/ui/status";
import { Tabs } from "@/app/_components/ui/tabs";
import { EngineTab } from "./engine-tab";
import { MetricsTab } from "./metrics-tab";
import { NetworksTab } from "./networks-tab";
import { RegionsTab } from "./regions-tab";
import { settingsTabs, type SettingsTab } from "./settings-tabs";
import { UsersTab } from "./users-tab";

/** The Settings page: one tab at a time, kept in the URL so each tab deep-links. */
export function SettingsView({ initialTab }: { initialTab: SettingsTab }) {
  const router = useRouter();
  const [tab, setTab] = useState<SettingsTab>(initialTab);
  const select = (next: SettingsTab) => {
    setTab(next);
    router.replace(`/settings?tab=${next}`, { scroll: false });
  };
  return (
    <>
      <PageHeader title="Settings" />
      <Tabs tabs={[...settingsTabs]} value={tab} onChange={select} />
      {tab === "networks" && <NetworksTab />}
      {tab === "regions" && <RegionsTab />}
      {tab === "users" && <UsersTab />}
      {tab === "engine" && <EngineTab />}
      {tab === "metrics" && <MetricsTab />}
    </>
  );
}
