"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { useTRPC } from "@/app/_lib/trpc/react";
import { addMembersSchema, DEFAULT_WEIGHT, MAX_MEMBERS_PER_ADD } from "@/server/services/member/member.schemas";
import type { PoolView } from "@/server/services/pool/pool-view";
import type { ServerView } from "@/server/services/server/server-view";
import { numberOf } from "@/app/_lib/form-errors";
import { useDialogForm } from "@/app/_components/ui/use-dialog-form";
import { useRefreshBackends } from "./use-refresh-backends";
import { SelectInventoryServers, subnetsOf } from "./select-inventory-servers";

interface ServerRow {
  key: number;
  selected: boolean;
  name: string;
  address: string;
  port: string;
  weight: string;
}

let nextKey = 0;
const emptyRow = (): ServerRow => ({ key: ++nextKey, selected: false, name: "", address: "", port: "", weight: String(DEFAULT_WEIGHT) });
const rowOf = (server: ServerView): ServerRow => ({ ...emptyRow(), name: server.name, address: server.address });
const cell = "w-full rounded border border-slate-300 px-2 py-1 text-sm focus:border-brand focus:outline-none";

/**
 * Add backend servers (guide 4.3). When the load balancer's VPC has servers in the inventory, step 1 selects
 * a subnet and ticks servers, and Next prefills one row per server; "Enter addresses manually" (and an
 * empty inventory) goes straight to the rows. Rows: one per server (Name, IP Address, Backend Port, Weight); Batch Add
 * Port + OK sets one port on the selected rows (all rows when none is selected); Finish adds them all.
 */
export function AddBackendServersDialog({ pool, onClose }: { pool: PoolView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshBackends();
  const inventory = useQuery(trpc.server.list.queryOptions({ loadBalancerId: pool.loadBalancerId }));
  const servers = inventory.data ?? [];
  // null until the user moves: the inventory decides where the dialog starts (no flash from one step to the other).
  const [chosenStep, setChosenStep] = useState<"select" | "rows" | null>(null);
  const step = chosenStep ?? (inventory.isLoading ? "loading" : servers.length > 0 ? "select" : "rows");
  const [subnetId, setSubnetId] = useState<string | null>(null);
  const currentSubnetId = subnetId ?? subnetsOf(servers)[0]?.id ?? "";
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [rows, setRows] = useState<ServerRow[]>(() => [emptyRow()]);
  const [batchPort, setBatchPort] = useState("");
  const { errors, setErrors, save, mutationOptions } = useDialogForm({ refresh, onClose });
  const mutation = useMutation(trpc.member.add.mutationOptions(mutationOptions));
  const change = (key: number, patch: Partial<ServerRow>) => setRows((all) => all.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const applyBatchPort = () => {
    const anySelected = rows.some((r) => r.selected);
    setRows((all) => all.map((r) => (r.selected || !anySelected ? { ...r, port: batchPort } : r)));
  };
  const input = () => ({ poolId: pool.id, members: rows.map((r) => ({ name: r.name, address: r.address, port: numberOf(r.port), weight: numberOf(r.weight) })) });
  const finish = () => save(input(), mutation.mutate, addMembersSchema);
  // Next: one prefilled row per ticked server, in list order.
  const next = () => {
    setRows(servers.filter((s) => picked.has(s.id)).map(rowOf));
    setErrors({});
    setChosenStep("rows");
  };
  const rowError = (index: number) => ["address", "port", "weight", "name"].map((f) => errors[`members.${index}.${f}`]).find(Boolean);
  const allSelected = rows.length > 0 && rows.every((r) => r.selected);
  return (
    <Dialog
      open
      wide
      title="Add Backend Servers"
      onClose={onClose}
      footer={
        step === "select" ? (
          <>
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button variant="secondary" onClick={() => setChosenStep("rows")}>
              Enter addresses manually
            </Button>
            <Button disabled={picked.size === 0} onClick={next}>
              Next
            </Button>
          </>
        ) : (
          <>
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            {servers.length > 0 && (
              <Button variant="secondary" onClick={() => setChosenStep("select")}>
                Previous
              </Button>
            )}
            <Button disabled={mutation.isPending || step !== "rows"} onClick={finish}>
              Finish
            </Button>
          </>
        )
      }
    >
      {step === "loading" && <p className="text-slate-500">Loading servers…</p>}
      {step === "select" && (
        <SelectInventoryServers
          servers={servers}
          subnetId={currentSubnetId}
          onSubnetChange={(id) => {
            setSubnetId(id);
            setPicked(new Set());
          }}
          selected={picked}
          onSelectedChange={setPicked}
        />
      )}
      {step === "rows" && (
        <>
          <p className="mb-3 text-slate-600">
            Backend server group <strong>{pool.name}</strong> ({pool.protocol}). Enter each server&apos;s IPv4 address, backend port and weight (0 to 100; 0 receives no requests).
          </p>
          <div className="mb-3 flex items-center gap-2">
            <label htmlFor="batch-port" className="text-slate-600">
              Batch Add Port
            </label>
            <input id="batch-port" type="number" min={1} max={65535} value={batchPort} onChange={(e) => setBatchPort(e.target.value)} className="w-28 rounded border border-slate-300 px-2 py-1 text-sm" />
            <Button variant="secondary" onClick={applyBatchPort} disabled={!batchPort}>
              OK
            </Button>
            <span className="text-xs text-slate-500">Applies to the selected rows, or to every row when none is selected.</span>
          </div>
          <div className="max-h-[45vh] overflow-y-auto">
            <table aria-label="Backend servers to add" className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="w-8 py-1">
                    <input type="checkbox" aria-label="Select all rows" checked={allSelected} onChange={() => setRows((all) => all.map((r) => ({ ...r, selected: !allSelected })))} />
                  </th>
                  <th className="py-1 pr-2">Name</th>
                  <th className="py-1 pr-2">IP Address</th>
                  <th className="w-28 py-1 pr-2">Backend Port</th>
                  <th className="w-20 py-1 pr-2">Weight</th>
                  <th className="w-16 py-1" />
                </tr>
              </thead>
              <tbody>
                {rows.map((r, index) => (
                  <tr key={r.key} className="align-top">
                    <td className="py-1">
                      <input type="checkbox" aria-label={`Select row ${index + 1}`} checked={r.selected} onChange={(e) => change(r.key, { selected: e.target.checked })} />
                    </td>
                    <td className="py-1 pr-2">
                      <input aria-label="Name" placeholder="Default: the IP address" value={r.name} onChange={(e) => change(r.key, { name: e.target.value })} className={cell} />
                    </td>
                    <td className="py-1 pr-2">
                      <input aria-label="IP Address" placeholder="192.168.0.10" value={r.address} onChange={(e) => change(r.key, { address: e.target.value })} className={cell} />
                      {rowError(index) && (
                        <p role="alert" className="mt-1 text-xs text-red-600">
                          {rowError(index)}
                        </p>
                      )}
                    </td>
                    <td className="py-1 pr-2">
                      <input aria-label="Backend Port" type="number" min={1} max={65535} value={r.port} onChange={(e) => change(r.key, { port: e.target.value })} className={cell} />
                    </td>
                    <td className="py-1 pr-2">
                      <input aria-label="Weight" type="number" min={0} max={100} value={r.weight} onChange={(e) => change(r.key, { weight: e.target.value })} className={cell} />
                    </td>
                    <td className="py-1">
                      <Button variant="link" disabled={rows.length === 1} onClick={() => setRows((all) => all.filter((x) => x.key !== r.key))}>
                        Delete
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Button variant="link" className="mt-2" disabled={rows.length >= MAX_MEMBERS_PER_ADD} onClick={() => setRows((all) => [...all, emptyRow()])}>
            + Add Row
          </Button>
          {(errors.form || errors.members) && (
            <p role="alert" className="mt-2 text-red-600">
              {errors.form ?? errors.members}
            </p>
          )}
        </>
      )}
    </Dialog>
  );
}
