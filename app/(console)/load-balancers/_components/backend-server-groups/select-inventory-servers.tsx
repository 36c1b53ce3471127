"use client";
import { DataTable, type Column } from "@/app/_components/data-table/data-table";
import { Field, Select } from "@/app/_components/ui/field";
import type { ServerView } from "@/server/services/server/server-view";

/** The subnets that have servers in the inventory, in list order (the list is sorted by VPC, subnet). */
export function subnetsOf(servers: readonly ServerView[]): ServerView["subnet"][] {
  const seen = new Map<string, ServerView["subnet"]>();
  for (const s of servers) if (!seen.has(s.subnet.id)) seen.set(s.subnet.id, s.subnet);
  return [...seen.values()];
}

const columns: Column<ServerView>[] = [
  { id: "name", header: "Name", cell: (s) => s.name },
  { id: "address", header: "IP Address", cell: (s) => <span className="font-mono">{s.address}</span> },
  { id: "members", header: "Backend Servers", cell: (s) => s.memberCount },
];

/**
 * Step 1 of Add Backend Servers (guide 4.3, step 6): select the subnet where the backend servers reside,
 * then tick the servers of the inventory (Settings > Networks > Servers) to add.
 */
export function SelectInventoryServers({
  servers,
  subnetId,
  onSubnetChange,
  selected,
  onSelectedChange,
}: {
  servers: readonly ServerView[];
  subnetId: string;
  onSubnetChange: (subnetId: string) => void;
  selected: ReadonlySet<string>;
  onSelectedChange: (selected: Set<string>) => void;
}) {
  const subnets = subnetsOf(servers);
  const inSubnet = servers.filter((s) => s.subnet.id === subnetId);
  return (
    <div>
      <Field label="Subnet" htmlFor="backend-subnet" hint="The subnet where the backend servers reside.">
        <Select id="backend-subnet" value={subnetId} onChange={(e) => onSubnetChange(e.target.value)}>
          {subnets.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.cidr})
            </option>
          ))}
        </Select>
      </Field>
      <div className="mt-2 max-h-[40vh] overflow-y-auto">
        <DataTable
          label="Servers"
          columns={columns}
          rows={inSubnet}
          getRowId={(s) => s.id}
          empty="This subnet has no servers. Add them in Settings > Networks > Servers, or enter addresses manually."
          selection={{ selected, onChange: onSelectedChange }}
        />
      </div>
      <p className="mt-2 text-xs text-slate-500">{selected.size} server(s) selected. Next sets their backend ports and weights.</p>
    </div>
  );
}
