"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { InfoList } from "@/app/_components/ui/info-list";
import { Card } from "@/app/_components/ui/status";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { LoadBalancerView } from "@/server/services/load-balancer/load-balancer-view";
import { AccessLogSearchForm } from "./access-log-search-form";
import { AccessLogTable } from "./access-log-table";
import { ConfigureAccessLogDialog } from "./configure-access-log-dialog";
import { downloadUrl, queryOf, type AccessLogQuery } from "./access-log-range";

const PAGE_SIZE = 50;

/**
 * The load balancer's Access Logs tab (guide chapter 7, "View Access Logs"): its settings with
 * Configure Access Log, the search (newest first, "Older"/"Newer" pages) and Download of the selection.
 */
export function AccessLogsTab({ lb }: { lb: LoadBalancerView }) {
  const trpc = useTRPC();
  const settings = useQuery(trpc.accessLog.get.queryOptions({ loadBalancerId: lb.id }));
  const [configuring, setConfiguring] = useState(false);
  const [query, setQuery] = useState<AccessLogQuery>(() => queryOf({ range: "1h", customFrom: "", customTo: "", status: "", clientIp: "", path: "", text: "" }, Date.now()));
  const [cursors, setCursors] = useState<string[]>([]); // cursors of the pages before this one: [] = newest page
  const cursor = cursors[cursors.length - 1];
  const hasStream = !!settings.data?.logStream;
  const page = useQuery({ ...trpc.accessLog.search.queryOptions({ loadBalancerId: lb.id, pageSize: PAGE_SIZE, ...query, ...(cursor ? { cursor } : {}) }), enabled: hasStream });
  const s = settings.data;
  return (
    <div className="space-y-4">
      <Card title="Access Log" actions={s && <Button onClick={() => setConfiguring(true)}>Configure Access Log</Button>}>
        {s && (
          <InfoList
            label="Access log settings"
            rows={[
              ["Access Logging", s.enabled ? "Enabled" : "Disabled"],
              ["Log Group", s.logGroup?.name ?? "—"],
              ["Log Stream", s.logStream ? `${s.logStream.name} (${s.logStream.id})` : "—"],
            ]}
          />
        )}
        <p className="mt-2 text-xs text-slate-500">Every request through this load balancer&apos;s HTTP and HTTPS listeners is recorded with the fields of table 7-1; expand a record to see them all.</p>
      </Card>
      {hasStream ? (
        <Card title="Access Logs">
          <AccessLogSearchForm
            retentionDays={s?.logGroup?.retentionDays ?? null}
            onSearch={(draft) => {
              setQuery(queryOf(draft, Date.now()));
              setCursors([]);
            }}
            onDownload={(draft) => {
              window.location.assign(downloadUrl(lb.id, queryOf(draft, Date.now())));
            }}
          />
          <AccessLogTable
            records={page.data?.records}
            isLoading={page.isLoading}
            error={page.error}
            empty={s?.enabled ? "No records match in this time range." : "No records match. Access logging is disabled: enable it with Configure Access Log."}
          />
          <div className="mt-2 flex items-center justify-end gap-2 text-xs">
            <Button variant="secondary" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
              Newer
            </Button>
            <Button variant="secondary" disabled={!page.data?.olderCursor} onClick={() => page.data?.olderCursor && setCursors([...cursors, page.data.olderCursor])}>
              Older
            </Button>
          </div>
        </Card>
      ) : (
        s && (
          <Card>
            <p className="py-8 text-center text-slate-500">Access logging is not configured. Click Configure Access Log to enable it and select a log group and log stream.</p>
          </Card>
        )
      )}
      {configuring && s && <ConfigureAccessLogDialog settings={s} onClose={() => setConfiguring(false)} />}
    </div>
  );
}
