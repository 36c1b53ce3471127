"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_lib/trpc/react";

const setCookie = (name: string, value: string) => {
  document.cookie = `${name}=${encodeURIComponent(value)}; Path=/; SameSite=Lax; Max-Age=31536000`;
};

/** The region and enterprise project selector in the upper left; the choice lives in cookies the server reads. */
export function ScopeSelector() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useQuery(trpc.scope.current.queryOptions());
  if (!data) return <span className="text-xs text-slate-400">…</span>;
  const change = (cookie: string, value: string) => {
    setCookie(cookie, value);
    void queryClient.invalidateQueries();
  };
  return (
    <div className="flex items-center gap-2 text-xs">
      <select aria-label="Region" className="rounded bg-slate-700 px-2 py-1 text-white" value={data.current.regionId} onChange={(e) => change("elb_region", e.target.value)}>
        {data.regions.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
      <select aria-label="Enterprise Project" className="rounded bg-slate-700 px-2 py-1 text-white" value={data.current.projectId} onChange={(e) => change("elb_project", e.target.value)}>
        {data.projects.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
}
