"use client";
import { Field, Segmented, Select } from "@/app/_components/ui/field";
import type { FieldErrors } from "@/app/_lib/form-errors";
import { algorithmLabels } from "@/server/services/pool/pool.schemas";
import type { PoolProtocol } from "@/db/schema/pools";
import type { PoolView } from "@/server/services/pool/pool-view";
import { PoolFields } from "../backend-server-groups/pool-fields";
import type { PoolDraft } from "../backend-server-groups/pool-draft";

/** Create new or Use existing, as the Backend Server Group field says it. */
export type PoolChoiceMode = "new" | "existing";

/**
 * Backend Server Group: Create new (the group fields of tables 3-4/4-1) or Use existing (a select of
 * `candidates`). Shared by Add Listener and Add/Modify Forwarding Policy; errors are read at `pool.…`.
 * With `existingOnly` it is just the select.
 */
export function PoolChoiceFields({
  mode,
  onModeChange,
  draft,
  onDraftChange,
  existingPoolId,
  onExistingChange,
  candidates,
  loading,
  backend,
  errors,
  existingHint,
  existingOnly = false,
}: {
  mode: PoolChoiceMode;
  onModeChange: (mode: PoolChoiceMode) => void;
  draft: PoolDraft;
  onDraftChange: (draft: PoolDraft) => void;
  existingPoolId: string;
  onExistingChange: (poolId: string) => void;
  candidates: readonly PoolView[];
  loading: boolean;
  backend: PoolProtocol;
  errors: FieldErrors;
  existingHint: string;
  /** Only Use existing (Modify Forwarding Policy): no Create new choice. */
  existingOnly?: boolean;
}) {
  return (
    <>
      {!existingOnly && (
        <Field label="Backend Server Group" required error={errors["pool.mode"]}>
          <Segmented
            name="Backend Server Group"
            value={mode}
            onChange={onModeChange}
            options={[
              { value: "new", label: "Create new" },
              { value: "existing", label: "Use existing" },
            ]}
          />
        </Field>
      )}
      {mode === "new" && !existingOnly ? (
        <PoolFields draft={draft} onChange={onDraftChange} errors={errors} prefix="pool." />
      ) : (
        <Field label="Backend Server Group" htmlFor="listener-existing-pool" required error={errors["pool.poolId"]} hint={existingHint}>
          {loading ? (
            <p>Loading…</p>
          ) : candidates.length === 0 ? (
            <p className="pt-1.5 text-slate-500">No unassociated {backend} backend server group. Choose Create new.</p>
          ) : (
            <Select id="listener-existing-pool" aria-label="Existing Backend Server Group" value={existingPoolId} onChange={(e) => onExistingChange(e.target.value)}>
              <option value="">Select a backend server group</option>
              {candidates.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.protocol}, {algorithmLabels[p.algorithm]}, {p.memberCount} backend servers)
                </option>
              ))}
            </Select>
          )}
        </Field>
      )}
    </>
  );
}
