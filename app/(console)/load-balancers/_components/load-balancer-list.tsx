"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { DataTable, type SortState } from "@/app/_components/data-table/data-table";
import { Toolbar } from "@/app/_components/data-table/toolbar";
import { PageHeader } from "@/app/_components/ui/status";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { ListLoadBalancersInput } from "@/server/services/load-balancer/load-balancer.schemas";
import { loadBalancerColumns } from "./columns";
import { LoadBalancerDialogs, type LoadBalancerAction } from "./load-balancer-dialogs";

type FilterKey = "name" | "ip" | "tag";
const PAGE_SIZE = 10;

/** The Load Balancers page: create, filter by name/IP/tag, sort, page, export, and the Operation column. */
export function LoadBalancerList() {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<{ key: FilterKey; text: string }>({ key: "name", text: "" });
  const [sort, setSort] = useState<SortState>({ by: "createdAt", direction: "desc" });
  const [page, setPage] = useState(1);
  const [action, setAction] = useState<LoadBalancerAction>(null);
  const filters = filter.text ? { [filter.key]: filter.text } : {};
  const input: ListLoadBalancersInput = { ...filters, sortBy: sort.by as ListLoadBalancersInput["sortBy"], sortDirection: sort.direction, page, pageSize: PAGE_SIZE };
  const list = useQuery({ ...trpc.loadBalancer.list.queryOptions(input), placeholderData: keepPreviousData });
  const exportHref = (format: "xlsx" | "csv") => `/api/load-balancers/export?${new URLSearchParams({ format, ...filters })}`;
  return (
    <>
      <PageHeader title="Load Balancers" />
      <Toolbar<FilterKey>
        left={
          <Link href="/load-balancers/create" className="rounded bg-brand px-3 py-1.5 font-medium text-white hover:bg-brand-dark">
            Create Elastic Load Balancer
          </Link>
        }
        filterKeys={[
          { value: "name", label: "Name" },
          { value: "ip", label: "IP Address" },
          { value: "tag", label: "Tag (key or key=value)" },
        ]}
        onSearch={(key, text) => {
          setFilter({ key, text });
          setPage(1);
        }}
        actions={
          <>
            <a href={exportHref("xlsx")} download className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:text-brand" title="Export the load balancer list (.xlsx)">
              Export
            </a>
            <a href={exportHref("csv")} download className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:text-brand" title="Export the load balancer list (.csv)">
              Export CSV
            </a>
          </>
        }
      />
      <DataTable
        label="Load balancers"
        columns={loadBalancerColumns(setAction)}
        rows={list.data?.items}
        getRowId={(lb) => lb.id}
        isLoading={list.isLoading}
        error={list.error}
        empty={filter.text ? "No load balancer matches the filter." : "No load balancers yet. Click Create Elastic Load Balancer to create one."}
        sort={sort}
        onSortChange={(next) => {
          setSort(next);
          setPage(1);
        }}
        pagination={{ page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onPageChange: setPage }}
      />
      <LoadBalancerDialogs action={action} onClose={() => setAction(null)} />
    </>
  );
}
