"use client";
import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { Card, PageHeader } from "@/app/_components/ui/status";
import { Tabs } from "@/app/_components/ui/tabs";
import { errorMessage } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import { listenerTabsFor } from "./describe-listener";
import type { ListenerPageAction, ListenerTab } from "./listener-page.types";
import { ListenerBasicInformation } from "./listener-basic-information";
import { ClientIpTester } from "./client-ip-tester";
import { AccessControlDialog } from "./access-control-dialog";
import { SniDialog } from "./sni-dialog";
import { ModifyListenerDialog } from "./modify-listener-dialog";
import { DeleteListenerDialog } from "./delete-listener-dialog";
import { ForwardingPoliciesTab } from "./forwarding-policies-tab";
import { RedirectsTab } from "./redirects-tab";
import { ListenerMonitoring } from "../monitoring/listener-monitoring";

/**
 * A listener's page (guide 3.6–3.8): Basic Information with Configure beside Access Control (and SNI on
 * HTTPS), and the tabs Forwarding Policies (HTTP/HTTPS) and Redirects (HTTP). The tab is in the URL.
 */
export function ListenerPage({ loadBalancerId, listenerId }: { loadBalancerId: string; listenerId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [action, setAction] = useState<ListenerPageAction>(null);
  const lb = useQuery(trpc.loadBalancer.get.queryOptions({ id: loadBalancerId }));
  const query = useQuery(trpc.listener.get.queryOptions({ id: listenerId }));
  if (query.isLoading || lb.isLoading) return <p>Loading…</p>;
  if (query.error || !query.data) return <p role="alert">Could not load the listener: {errorMessage(query.error)}</p>;
  const listener = query.data;
  const lbPath = `/load-balancers/${loadBalancerId}`;
  const tabs = [...listenerTabsFor(listener.protocol), { value: "monitoring" as const, label: "Monitoring" }];
  const requested = searchParams.get("tab") as ListenerTab | null;
  const tab = tabs.find((t) => t.value === requested)?.value ?? tabs[0]?.value;
  return (
    <>
      <PageHeader
        title={
          <Breadcrumbs
            trail={[
              { href: "/load-balancers", label: "Load Balancers" },
              { href: `${lbPath}?tab=listeners`, label: lb.data?.name ?? loadBalancerId },
            ]}
            current={listener.name}
          />
        }
        actions={
          <>
            <Button variant="secondary" onClick={() => setAction("modify")}>
              Modify
            </Button>
            <Button variant="secondary" onClick={() => setAction("delete")}>
              Delete
            </Button>
          </>
        }
      />
      {listener.redirect && (
        <p role="status" className="mb-4 rounded bg-amber-50 px-4 py-3 text-amber-900 ring-1 ring-amber-200">
          Requests to this listener are redirected to HTTPS listener <strong>{listener.redirect.targetListener.name}</strong> (port {listener.redirect.targetListener.port}) with 301 Moved
          Permanently. Its other configuration is inactive, except access control.
        </p>
      )}
      <Card title="Basic Information" actions={<ClientIpTester listener={listener} />}>
        <ListenerBasicInformation listener={listener} lbPath={lbPath} onAction={setAction} />
      </Card>
      {tab && (
        <div className="mt-4">
          <Tabs tabs={tabs} value={tab} onChange={(next) => router.replace(`${pathname}?tab=${next}`)} />
          {tab === "forwarding-policies" && <ForwardingPoliciesTab listener={listener} />}
          {tab === "redirects" && <RedirectsTab listener={listener} />}
          {tab === "monitoring" && <ListenerMonitoring listener={listener} />}
        </div>
      )}
      {action === "access-control" && <AccessControlDialog listener={listener} onClose={() => setAction(null)} />}
      {action === "sni" && <SniDialog listener={listener} onClose={() => setAction(null)} />}
      {action === "modify" && <ModifyListenerDialog listener={listener} onClose={() => setAction(null)} />}
      {action === "delete" && <DeleteListenerDialog listener={listener} onClose={() => setAction(null)} onDeleted={() => router.push(`${lbPath}?tab=listeners`)} />}
    </>
  );
}
