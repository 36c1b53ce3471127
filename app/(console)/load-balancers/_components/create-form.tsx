"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Field, Input, Segmented, Select, Textarea } from "@/app/_components/ui/field";
import { Card, PageHeader } from "@/app/_components/ui/status";
import { errorMessage } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import { BANDWIDTH_MAX, BANDWIDTH_MIN, createLoadBalancerSchema, type CreateLoadBalancerInput } from "@/server/services/load-balancer/load-balancer.schemas";
import { TagsEditor, type TagDraft } from "./tags-editor";
import { useRefreshLoadBalancers } from "./use-refresh-load-balancers";

const randomSuffix = () => Math.random().toString(36).slice(2, 6);

/** Create Elastic Load Balancer (guide 2.3, table 2-1): the form, then the confirmation step with Submit. */
export function CreateLoadBalancerForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const scope = useQuery(trpc.scope.current.queryOptions());
  const options = useQuery(trpc.loadBalancer.networkOptions.queryOptions());
  const [networkType, setNetworkType] = useState<"public" | "private">("private");
  const [vpcId, setVpcId] = useState("");
  const [subnetId, setSubnetId] = useState("");
  const [autoIp, setAutoIp] = useState(true);
  const [privateIp, setPrivateIp] = useState("");
  const [eipMode, setEipMode] = useState<"new" | "existing">("new");
  const [bandwidth, setBandwidth] = useState("10");
  const [eipId, setEipId] = useState("");
  const [name, setName] = useState(() => `elb-${randomSuffix()}`);
  const [projectId, setProjectId] = useState("");
  const [description, setDescription] = useState("");
  const [tags, setTags] = useState<TagDraft[]>([]);
  const [step, setStep] = useState<"configure" | "confirm">("configure");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const refresh = useRefreshLoadBalancers();
  const mutation = useMutation(
    trpc.loadBalancer.create.mutationOptions({
      onSuccess: async () => {
        await refresh();
        router.push("/load-balancers");
      },
    }),
  );

  const vpc = options.data?.vpcs.find((v) => v.id === vpcId) ?? options.data?.vpcs[0];
  const subnet = vpc?.subnets.find((s) => s.id === subnetId) ?? vpc?.subnets[0];
  const project = scope.data?.projects.find((p) => p.id === (projectId || scope.data?.current.projectId));
  const region = scope.data?.regions.find((r) => r.id === scope.data?.current.regionId);

  const input: CreateLoadBalancerInput = useMemo(
    () => ({
      networkType,
      vpcId: vpc?.id ?? "",
      subnetId: subnet?.id ?? "",
      privateIp: autoIp ? undefined : privateIp,
      eip: networkType === "public" ? (eipMode === "new" ? { mode: "new", eipType: "dynamic_bgp", bandwidthMbit: Number(bandwidth) } : { mode: "existing", eipId }) : undefined,
      name,
      projectId: project?.id,
      description,
      tags,
    }),
    [networkType, vpc, subnet, autoIp, privateIp, eipMode, bandwidth, eipId, name, project, description, tags],
  );

  const createNow = () => {
    const result = createLoadBalancerSchema.safeParse(input);
    if (!result.success) {
      const next: Record<string, string> = {};
      for (const issue of result.error.issues) next[issue.path.join(".")] ??= issue.message;
      setErrors(next);
      return;
    }
    setErrors({});
    setStep("confirm");
  };

  if (options.isLoading || scope.isLoading) return <p>Loading…</p>;
  if (options.error) return <p role="alert">Could not load networks: {errorMessage(options.error)}</p>;

  if (step === "confirm") {
    const rows: [string, string][] = [
      ["Region", region?.name ?? ""],
      ["Network Type", networkType === "public" ? "Public network" : "Private network"],
      ["VPC", vpc?.name ?? ""],
      ["Subnet", subnet ? `${subnet.name} (${subnet.cidr})` : ""],
      ["Private IP Address", autoIp ? "Automatically assigned" : privateIp],
      ...(networkType === "public"
        ? ([
            ["EIP", eipMode === "new" ? "New EIP" : (options.data?.unboundEips.find((e) => e.id === eipId)?.address ?? "")],
            ...(eipMode === "new" ? ([["EIP Type", "Dynamic BGP"], ["Bandwidth", `${bandwidth} Mbit/s`]] as [string, string][]) : []),
          ] as [string, string][])
        : []),
      ["Name", name],
      ["Enterprise Project", project?.name ?? ""],
      ["Description", description || "—"],
      ["Tag", tags.map((t) => `${t.key}=${t.value}`).join(", ") || "—"],
    ];
    return (
      <>
        <PageHeader title="Confirm Configuration" />
        <Card>
          <dl className="grid grid-cols-[12rem_1fr] gap-y-2">
            {rows.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-slate-500">{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          {mutation.error && (
            <p role="alert" className="mt-4 text-red-600">
              {errorMessage(mutation.error)}
            </p>
          )}
          <div className="mt-6 flex gap-2">
            <Button variant="secondary" onClick={() => setStep("configure")}>
              Previous
            </Button>
            <Button disabled={mutation.isPending} onClick={() => mutation.mutate(input)}>
              {mutation.isPending ? "Submitting…" : "Submit"}
            </Button>
          </div>
        </Card>
      </>
    );
  }

  return (
    <>
      <PageHeader title="Create Elastic Load Balancer" />
      <Card>
        <Field label="Region" htmlFor="region" hint="Resources in different regions cannot communicate with each other over internal networks. Change the region in the upper left.">
          <Input id="region" value={region?.name ?? ""} disabled />
        </Field>
        <Field label="Network Type" required>
          <Segmented
            name="Network Type"
            value={networkType}
            onChange={setNetworkType}
            options={[
              { value: "public", label: "Public network" },
              { value: "private", label: "Private network" },
            ]}
          />
        </Field>
        <Field label="VPC" htmlFor="vpc" required error={errors.vpcId}>
          <Select id="vpc" value={vpc?.id ?? ""} onChange={(e) => (setVpcId(e.target.value), setSubnetId(""))}>
            {options.data?.vpcs.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name} ({v.cidr})
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Subnet" htmlFor="subnet" required error={errors.subnetId}>
          <Select id="subnet" value={subnet?.id ?? ""} onChange={(e) => setSubnetId(e.target.value)}>
            {vpc?.subnets.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.cidr})
              </option>
            ))}
          </Select>
          <label className="mt-2 flex items-center gap-2">
            <input type="checkbox" checked={autoIp} onChange={(e) => setAutoIp(e.target.checked)} />
            Automatic IP address allocation
          </label>
        </Field>
        {!autoIp && (
          <Field label="Private IP Address" htmlFor="private-ip" required error={errors.privateIp} hint={`An unused address in ${subnet?.cidr ?? "the subnet"}`}>
            <Input id="private-ip" value={privateIp} onChange={(e) => setPrivateIp(e.target.value)} placeholder="127.10.0.10" />
          </Field>
        )}
        {networkType === "public" && (
          <>
            <Field label="EIP" required error={errors.eip}>
              <Segmented
                name="EIP"
                value={eipMode}
                onChange={setEipMode}
                options={[
                  { value: "new", label: "New EIP" },
                  { value: "existing", label: "Use existing" },
                ]}
              />
            </Field>
            {eipMode === "new" ? (
              <>
                <Field label="EIP Type" htmlFor="eip-type">
                  <Select id="eip-type" value="dynamic_bgp" onChange={() => undefined}>
                    <option value="dynamic_bgp">Dynamic BGP</option>
                  </Select>
                </Field>
                <Field label="Bandwidth (Mbit/s)" htmlFor="bandwidth" required error={errors["eip.bandwidthMbit"]} hint={`${BANDWIDTH_MIN}–${BANDWIDTH_MAX} Mbit/s`}>
                  <Input id="bandwidth" type="number" min={BANDWIDTH_MIN} max={BANDWIDTH_MAX} value={bandwidth} onChange={(e) => setBandwidth(e.target.value)} />
                </Field>
              </>
            ) : (
              <Field label="Select EIP" htmlFor="existing-eip" required error={errors["eip.eipId"]}>
                <Select id="existing-eip" value={eipId} onChange={(e) => setEipId(e.target.value)}>
                  <option value="">Select an EIP</option>
                  {options.data?.unboundEips.map((e) => (
                    <option key={e.id} value={e.id}>
                      {e.address} ({e.bandwidthMbit} Mbit/s)
                    </option>
                  ))}
                </Select>
              </Field>
            )}
          </>
        )}
        <Field label="Name" htmlFor="name" required error={errors.name}>
          <Input id="name" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Enterprise Project" htmlFor="project">
          <Select id="project" value={project?.id ?? ""} onChange={(e) => setProjectId(e.target.value)}>
            {scope.data?.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Description" htmlFor="description" error={errors.description}>
          <Textarea id="description" value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        <Field label="Tag">
          <TagsEditor tags={tags} onChange={setTags} errors={errors} />
        </Field>
        <div className="mt-4 flex gap-2 pl-[11.75rem]">
          <Button onClick={createNow}>Create Now</Button>
          <Button variant="secondary" onClick={() => router.push("/load-balancers")}>
            Cancel
          </Button>
        </div>
      </Card>
    </>
  );
}
