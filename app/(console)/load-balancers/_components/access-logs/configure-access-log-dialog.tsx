"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import Link from "next/link";
import { Field, Select } from "@/app/_components/ui/field";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { errorMessage } from "@/app/_lib/format";
import { fieldError } from "@/app/_lib/form-errors";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { AccessLogView } from "@/server/services/access-log/access-log-view";
import { Switch } from "../backend-server-groups/switch";

/**
 * Configure Access Log (guide chapter 7, step 4): enable access logging and select the log group and log
 * stream, or disable it. OK publishes the change to the engine.
 */
export function ConfigureAccessLogDialog({ settings, onClose }: { settings: AccessLogView; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [enabled, setEnabled] = useState(settings.enabled || settings.logStream === null);
  const [groupId, setGroupId] = useState(settings.logGroup?.id ?? "");
  const [streamId, setStreamId] = useState(settings.logStream?.id ?? "");
  const groups = useQuery(trpc.logGroup.list.queryOptions());
  const streams = useQuery({ ...trpc.logStream.list.queryOptions({ groupId }), enabled: groupId !== "" });
  const done = {
    onSuccess: async () => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: trpc.accessLog.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.logStream.pathKey() })]);
      onClose();
    },
  };
  const configure = useMutation(trpc.accessLog.configure.mutationOptions(done));
  const disable = useMutation(trpc.accessLog.disable.mutationOptions(done));
  const error = configure.error ?? disable.error;
  const submit = () => (enabled ? configure.mutate({ loadBalancerId: settings.id, logStreamId: streamId }) : disable.mutate({ loadBalancerId: settings.id }));
  const noGroups = groups.data?.length === 0;
  return (
    <FormDialog
      title="Configure Access Log"
      onClose={onClose}
      onSubmit={submit}
      pending={configure.isPending || disable.isPending}
      message={error && !fieldError(error, "logStreamId") ? errorMessage(error) : null}
    >
      <Field label="Access Logging">
        <Switch id="access-log-enabled" label="Access Logging" checked={enabled} onChange={setEnabled} />
      </Field>
      {enabled && (
        <>
          <Field label="Log Group" htmlFor="access-log-group" required hint={noGroups ? undefined : "Records of this load balancer's HTTP and HTTPS listeners go to the log stream."}>
            <Select
              id="access-log-group"
              value={groupId}
              onChange={(e) => {
                setGroupId(e.target.value);
                setStreamId("");
              }}
            >
              <option value="">Select a log group</option>
              {groups.data?.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </Select>
            {noGroups && (
              <p className="mt-1 text-xs text-slate-500">
                No log groups yet: create one (and a log stream in it) on{" "}
                <Link href="/log-management" className="text-brand hover:underline">
                  Log Management
                </Link>
                .
              </p>
            )}
          </Field>
          <Field label="Log Stream" htmlFor="access-log-stream" required error={fieldError(error, "logStreamId")}>
            <Select id="access-log-stream" value={streamId} disabled={groupId === ""} onChange={(e) => setStreamId(e.target.value)}>
              <option value="">Select a log stream</option>
              {streams.data?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </Select>
          </Field>
        </>
      )}
    </FormDialog>
  );
}
