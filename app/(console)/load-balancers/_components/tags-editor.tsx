"use client";
import { Button } from "@/app/_components/ui/button";
import { Input } from "@/app/_components/ui/field";
import { MAX_TAGS } from "@/server/services/load-balancer/load-balancer.schemas";

/** A tag row being edited. */
export interface TagDraft {
  key: string;
  value: string;
}

/** Key/value rows with Add Tag and Delete; errors come from the shared zod schema, keyed "tags.N.key". */
export function TagsEditor({ tags, onChange, errors }: { tags: TagDraft[]; onChange: (tags: TagDraft[]) => void; errors: Record<string, string> }) {
  const set = (index: number, patch: Partial<TagDraft>) => onChange(tags.map((t, i) => (i === index ? { ...t, ...patch } : t)));
  return (
    <div>
      {tags.map((tag, index) => (
        <div key={index} className="mb-2">
          <div className="flex gap-2">
            <Input aria-label={`Tag key ${index + 1}`} placeholder="Tag key" value={tag.key} onChange={(e) => set(index, { key: e.target.value })} />
            <Input aria-label={`Tag value ${index + 1}`} placeholder="Tag value" value={tag.value} onChange={(e) => set(index, { value: e.target.value })} />
            <Button variant="link" onClick={() => onChange(tags.filter((_, i) => i !== index))}>
              Delete
            </Button>
          </div>
          {(errors[`tags.${index}.key`] || errors[`tags.${index}.value`]) && (
            <p role="alert" className="mt-1 text-xs text-red-600">
              {errors[`tags.${index}.key`] ?? errors[`tags.${index}.value`]}
            </p>
          )}
        </div>
      ))}
      {errors.tags && (
        <p role="alert" className="mb-1 text-xs text-red-600">
          {errors.tags}
        </p>
      )}
      <Button variant="secondary" disabled={tags.length >= MAX_TAGS} onClick={() => onChange([...tags, { key: "", value: "" }])}>
        Add Tag
      </Button>
      <span className="ml-2 text-xs text-slate-500">You can add {MAX_TAGS - tags.length} more tags.</span>
    </div>
  );
}
