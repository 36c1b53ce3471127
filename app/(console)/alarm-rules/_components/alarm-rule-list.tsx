"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DataTable } from "@/app/_components/data-table/data-table";
import { Toolbar } from "@/app/_components/data-table/toolbar";
import { Button } from "@/app/_components/ui/button";
import { PageHeader } from "@/app/_components/ui/status";
import { errorMessage } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import { alarmRuleColumns, type AlarmRuleAction } from "./alarm-rule-columns";
import { CreateAlarmRuleDialog, ModifyAlarmRuleDialog } from "./alarm-rule-dialogs";
import { DeleteAlarmRuleDialog } from "./delete-alarm-rule-dialog";
import { useToggleAlarmRule } from "./use-toggle-alarm-rule";

/** The Alarm Rules page (guide 8.2): Create Alarm Rule, the list with states, Modify, Disable/Enable, Delete. Refreshes every 30 s. */
export function AlarmRuleList() {
  const trpc = useTRPC();
  const [action, setAction] = useState<AlarmRuleAction>(null);
  const list = useQuery({ ...trpc.alarmRule.list.queryOptions(), refetchInterval: 30_000 });
  const toggle = useToggleAlarmRule();
  return (
    <>
      <PageHeader title="Alarm Rules" />
      <Toolbar
        left={
          <Button className="whitespace-nowrap" onClick={() => setAction({ kind: "create" })}>
            Create Alarm Rule
          </Button>
        }
      />
      {toggle.error ? (
        <p role="alert" className="mb-2 text-sm text-red-600">
          {errorMessage(toggle.error)}
        </p>
      ) : null}
      <DataTable
        label="Alarm Rules"
        columns={alarmRuleColumns(setAction, toggle.toggle)}
        rows={list.data}
        getRowId={(r) => r.id}
        isLoading={list.isLoading}
        error={list.error}
        empty="No alarm rules yet. Click Create Alarm Rule to be notified when a metric of a load balancer or listener crosses a threshold."
      />
      {action?.kind === "create" && <CreateAlarmRuleDialog onClose={() => setAction(null)} />}
      {action?.kind === "modify" && <ModifyAlarmRuleDialog rule={action.rule} onClose={() => setAction(null)} />}
      {action?.kind === "delete" && <DeleteAlarmRuleDialog rule={action.rule} onClose={() => setAction(null)} />}
    </>
  );
}
