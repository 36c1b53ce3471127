"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { Field, Input, Select, Textarea } from "@/app/_components/ui/field";
import { useTRPC } from "@/app/_lib/trpc/react";
import { randomNameSuffix } from "@/server/services/field-schemas";
import { backendProtocolFor, createListenerSchema, FRONTEND_PROTOCOLS, portClassOf, type CreateListenerInput } from "@/server/services/listener/listener.schemas";
import type { LoadBalancerView } from "@/server/services/load-balancer/load-balancer-view";
import { HealthCheckFields } from "../backend-server-groups/health-check-fields";
import { changePoolDraft, newPoolDraft, poolFieldsOf } from "../backend-server-groups/pool-draft";
import { healthCheckFieldsOf, newHealthCheckDraft } from "../backend-server-groups/health-check-draft";
import { numberOf, serverError, zodFieldErrors, type FieldErrors } from "@/app/_lib/form-errors";
import { Switch } from "../backend-server-groups/switch";
import { useRefreshListeners } from "./use-refresh-listeners";
import { HttpsFields } from "./https-fields";
import { httpsInputOf, newHttpsDraft } from "./https-draft";
import { PoolChoiceFields } from "./pool-choice-fields";
import { RedirectTargetSelect } from "./redirect-target-select";
import { ClientIpFields } from "./client-ip-fields";
import { clientIpInputOf, newClientIpDraft } from "./client-ip-draft";

type FrontendProtocol = (typeof FRONTEND_PROTOCOLS)[number];
type Step = "listener" | "group" | "health" | "done";
const STEPS: { value: Exclude<Step, "done">; label: string }[] = [
  { value: "listener", label: "Configure Listener" },
  { value: "group", label: "Configure Backend Server Group" },
  { value: "health", label: "Configure Health Check" },
];
const stepIndex = (step: Step) => STEPS.findIndex((s) => s.value === step);
/** Which step shows the field an error names. */
const stepOf = (field: string): Step => (field.startsWith("pool.healthMonitor") ? "health" : field.startsWith("pool") ? "group" : "listener");

/**
 * Add Listener (guide 3.3): listener (table 3-3: for HTTPS the Server Certificate and Advanced Settings,
 * for HTTP Redirect / Redirected To; the client IP fields of issue 10) → backend server group, Create new or Use existing
 * (table 3-4) → health check of a new group (table 3-5) → Finish. The server commits all of it in one
 * transaction; an error sends the user back to the step with the field it names.
 */
export function AddListenerDialog({ lb, onClose }: { lb: LoadBalancerView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshListeners();
  const pools = useQuery(trpc.pool.list.queryOptions({ loadBalancerId: lb.id }));
  const listeners = useQuery(trpc.listener.list.queryOptions({ loadBalancerId: lb.id }));
  const [step, setStep] = useState<Step>("listener");
  const [name, setName] = useState(() => `listener-${randomNameSuffix()}`);
  const [protocol, setProtocol] = useState<FrontendProtocol>("TCP");
  const [port, setPort] = useState("");
  const [description, setDescription] = useState("");
  const [https, setHttps] = useState(newHttpsDraft);
  const [redirect, setRedirect] = useState(false);
  const [redirectToListenerId, setRedirectToListenerId] = useState("");
  const [clientIp, setClientIp] = useState(newClientIpDraft);
  const [mode, setMode] = useState<"new" | "existing">("new");
  const [poolDraft, setPoolDraft] = useState(() => newPoolDraft("TCP"));
  const [existingPoolId, setExistingPoolId] = useState("");
  const [health, setHealth] = useState(() => newHealthCheckDraft("TCP"));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const backend = backendProtocolFor(protocol);
  const candidates = pools.data?.filter((p) => !p.listener && p.protocol === backend) ?? [];
  // The interruption Transfer Client IP Address causes is twice the health check interval of the group chosen.
  const existingMonitor = candidates.find((p) => p.id === existingPoolId)?.healthMonitor;
  const healthCheckIntervalSeconds = mode === "new" ? (health.enabled ? numberOf(health.interval) : null) : existingMonitor?.enabled ? existingMonitor.intervalSeconds : null;

  const mutation = useMutation(
    trpc.listener.create.mutationOptions({
      onSuccess: async () => {
        setStep("done");
        await refresh();
      },
      onError: (error) => {
        const { field, message } = serverError(error);
        if (field) {
          setErrors({ [field]: message });
          setStep(stepOf(field));
        } else setFormError(message);
      },
    }),
  );

  // The group and its health check follow the frontend protocol (TCP→TCP, UDP→UDP, HTTP→HTTP).
  const changeProtocol = (next: FrontendProtocol) => {
    setProtocol(next);
    setPoolDraft((draft) => changePoolDraft(draft, { protocol: backendProtocolFor(next) }));
    setHealth((draft) => newHealthCheckDraft(backendProtocolFor(next), draft.enabled));
    setExistingPoolId("");
  };

  const input: CreateListenerInput = {
    loadBalancerId: lb.id,
    name,
    protocol,
    port: numberOf(port),
    description,
    ...(protocol === "HTTPS" && httpsInputOf(https)),
    ...(protocol === "HTTP" && redirect && { redirectToListenerId }),
    ...clientIpInputOf(protocol, clientIp),
    pool:
      mode === "new"
        ? { mode: "new", ...poolFieldsOf(poolDraft), protocol: backend, healthMonitor: health.enabled ? healthCheckFieldsOf(health) : null }
        : { mode: "existing", poolId: existingPoolId },
  };

  /** Checks the steps up to `through` with the server's schema (and the port against existing listeners). */
  const validate = (through: Step): boolean => {
    const result = createListenerSchema.safeParse(input);
    const all = result.success ? {} : zodFieldErrors(result.error);
    const taken = listeners.data?.find((l) => l.port === input.port && portClassOf(l.protocol) === portClassOf(protocol));
    if (taken && !all.port) all.port = `Frontend Port: ${port} is already used by ${taken.protocol} listener ${taken.name}.`;
    const shown = Object.fromEntries(Object.entries(all).filter(([field]) => stepIndex(stepOf(field)) <= stepIndex(through)));
    setErrors(shown);
    setFormError(null);
    const first = Object.keys(shown).sort((a, b) => stepIndex(stepOf(a)) - stepIndex(stepOf(b)))[0];
    if (first) setStep(stepOf(first));
    return !first;
  };
  const next = () => {
    if (step === "listener" && validate("listener")) setStep("group");
    else if (step === "group" && validate("group")) setStep("health");
  };
  const finish = () => validate("health") && mutation.mutate(input);
  const finishesHere = step === "health" || (step === "group" && mode === "existing");

  const footer =
    step === "done" ? (
      <Button onClick={onClose}>OK</Button>
    ) : (
      <>
        {step === "listener" ? (
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
        ) : (
          <Button variant="secondary" onClick={() => setStep(step === "health" ? "group" : "listener")}>
            Previous
          </Button>
        )}
        {finishesHere ? (
          <Button disabled={mutation.isPending} onClick={finish}>
            {mutation.isPending ? "Adding…" : "Finish"}
          </Button>
        ) : (
          <Button onClick={next}>Next</Button>
        )}
      </>
    );

  return (
    <Dialog open title="Add Listener" onClose={onClose} wide footer={footer}>
      {step === "done" ? (
        <p role="status">
          Listener <strong>{name}</strong> ({protocol}/{port}) has been added
          {mode === "new" ? (
            <>
              {" "}
              with backend server group <strong>{poolDraft.name}</strong>
            </>
          ) : null}
          . Add backend servers to the group under Backend Server Groups.
        </p>
      ) : (
        <>
          <StepIndicator step={step} skipHealth={mode === "existing"} />
          {step === "listener" && (
            <>
              <Field label="Name" htmlFor="listener-name" required error={errors.name}>
                <Input id="listener-name" aria-label="Name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
              </Field>
              <Field label="Frontend Protocol/Port" htmlFor="listener-protocol" required error={errors.protocol ?? errors.port} hint="Port 1 to 65535. TCP, HTTP and HTTPS listeners of one load balancer use different ports; UDP may share a port with them.">
                <div className="flex gap-2">
                  <Select id="listener-protocol" aria-label="Frontend Protocol" value={protocol} onChange={(e) => changeProtocol(e.target.value as FrontendProtocol)} className="w-32">
                    {FRONTEND_PROTOCOLS.map((p) => (
                      <option key={p} value={p}>
                        {p}
                      </option>
                    ))}
                  </Select>
                  <Input aria-label="Frontend Port" type="number" min={1} max={65535} placeholder="1–65535" value={port} onChange={(e) => setPort(e.target.value)} className="w-40" />
                </div>
              </Field>
              {protocol === "HTTP" && (
                <>
                  <Field label="Redirect" htmlFor="listener-redirect" hint="Redirects requests to an HTTPS listener: clients get 301 Moved Permanently.">
                    <Switch id="listener-redirect" label="Redirect" checked={redirect} onChange={setRedirect} />
                  </Field>
                  {redirect && (
                    <Field label="Redirected To" htmlFor="listener-redirected-to" required error={errors.redirectToListenerId} hint="Once redirected, this listener's configuration becomes invalid except for access control.">
                      <RedirectTargetSelect id="listener-redirected-to" loadBalancerId={lb.id} value={redirectToListenerId} onChange={setRedirectToListenerId} />
                    </Field>
                  )}
                </>
              )}
              {protocol === "HTTPS" && <HttpsFields draft={https} onChange={setHttps} errors={errors} />}
              <ClientIpFields key={protocol} protocol={protocol} draft={clientIp} onChange={setClientIp} errors={errors} healthCheckIntervalSeconds={healthCheckIntervalSeconds} />
              <Field label="Description" htmlFor="listener-description" error={errors.description}>
                <Textarea id="listener-description" aria-label="Description" value={description} onChange={(e) => setDescription(e.target.value)} />
              </Field>
            </>
          )}
          {step === "group" && (
            <PoolChoiceFields
              mode={mode}
              onModeChange={(value) => (setMode(value), setErrors({}))}
              draft={poolDraft}
              onDraftChange={setPoolDraft}
              existingPoolId={existingPoolId}
              onExistingChange={setExistingPoolId}
              candidates={candidates}
              loading={pools.isLoading}
              backend={backend}
              errors={errors}
              existingHint={`Unassociated ${backend} backend server groups of this load balancer.`}
            />
          )}
          {step === "health" && <HealthCheckFields draft={health} onChange={setHealth} errors={errors} poolProtocol={backend} prefix="pool.healthMonitor." />}
          {formError && (
            <p role="alert" className="mt-2 text-red-600">
              {formError}
            </p>
          )}
        </>
      )}
    </Dialog>
  );
}

/** "1 Configure Listener › 2 Configure Backend Server Group › 3 Configure Health Check". */
function StepIndicator({ step, skipHealth }: { step: Step; skipHealth: boolean }) {
  const steps = skipHealth ? STEPS.slice(0, 2) : STEPS;
  return (
    <ol aria-label="Steps" className="mb-3 flex gap-4 border-b border-slate-100 pb-3 text-xs">
      {steps.map((s, i) => (
        <li key={s.value} aria-current={s.value === step ? "step" : undefined} className={s.value === step ? "font-semibold text-brand" : "text-slate-500"}>
          {i + 1} {s.label}
        </li>
      ))}
    </ol>
  );
}
