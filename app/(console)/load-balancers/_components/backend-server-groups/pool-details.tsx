"use client";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { InfoList, WithAction, type InfoRow } from "@/app/_components/ui/info-list";
import { Card } from "@/app/_components/ui/status";
import { formatDateTime } from "@/app/_lib/format";
import type { PoolView } from "@/server/services/pool/pool-view";
import { BackendServers } from "./backend-servers";
import { ConfigureHealthCheckDialog } from "./configure-health-check-dialog";
import { describeAlgorithm, describeHealthCheck, describeStickySession } from "./describe-pool";
import { clientIpTransportLabels, clientIpTransportsFor } from "@/server/services/pool/client-ip-transport";

/** A group's Basic Information (Configure beside Health Check, guide 5.1) and its server list. */
export function PoolDetails({ pool, onModify }: { pool: PoolView; onModify: () => void }) {
  const [configuring, setConfiguring] = useState(false);
  const rows: InfoRow[] = [
    ["Name", pool.name],
    ["ID", <span key="id" className="font-mono text-xs">{pool.id}</span>],
    ["Backend Protocol", pool.protocol],
    ["Load Balancing Algorithm", describeAlgorithm(pool)],
    ["Sticky Session", describeStickySession(pool)],
    ...(clientIpTransportsFor(pool.protocol).length > 0 ? [["Client IP Transport", clientIpTransportLabels[pool.clientIpTransport]] as const] : []),
    ["Listener", pool.listener ? `${pool.listener.name} (${pool.listener.protocol}/${pool.listener.port})` : "—"],
    [
      "Health Check",
      <WithAction key="hc" action="Configure" name="Configure Health Check" onAction={() => setConfiguring(true)}>
        <span>{describeHealthCheck(pool.healthMonitor)}</span>
      </WithAction>,
    ],
    ["Description", pool.description || "—"],
    ["Created", formatDateTime(pool.createdAt)],
  ];
  return (
    <Card
      title={`Backend Server Group ${pool.name}`}
      actions={
        <Button variant="secondary" onClick={onModify}>
          Modify
        </Button>
      }
    >
      <h3 className="mb-2 font-medium">Basic Information</h3>
      <InfoList label="Backend Server Group Basic Information" rows={rows} />
      <BackendServers pool={pool} />
      {configuring && <ConfigureHealthCheckDialog pool={pool} onClose={() => setConfiguring(false)} />}
    </Card>
  );
}
