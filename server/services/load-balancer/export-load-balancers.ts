import "server-only";
import writeExcelFile from "write-excel-file/node";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { loadBalancerColumns } from "./load-balancer-columns";
import { listLoadBalancersSchema } from "./load-balancer.schemas";
import { queryLoadBalancerViews } from "./load-balancer-view";
import { csvCell, neutralizeFormula } from "./spreadsheet-cell";

/** Export format of the load balancer list. */
export type ExportFormat = "xlsx" | "csv";

/** The exported file: bytes, content type and a dated file name. */
export interface ExportedFile {
  body: Buffer;
  contentType: string;
  fileName: string;
}

/** Exports every load balancer matching the list's current filter (all pages) as .xlsx or .csv. */
export async function exportLoadBalancers(ctx: ServiceContext, rawFilters: unknown, format: ExportFormat, now = new Date()): Promise<ExportedFile> {
  const filters = parseInput(listLoadBalancersSchema, rawFilters ?? {});
  const { items } = await queryLoadBalancerViews(ctx.db, ctx.scope, filters, false);
  const fileName = `load-balancers-${now.toISOString().slice(0, 10)}.${format}`;
  if (format === "csv") {
    const lines = [loadBalancerColumns.map((c) => csvCell(c.header)).join(",")];
    for (const lb of items) lines.push(loadBalancerColumns.map((c) => csvCell(c.text(lb))).join(","));
    return { body: Buffer.from("\uFEFF" + lines.join("\r\n") + "\r\n", "utf8"), contentType: "text/csv; charset=utf-8", fileName };
  }
  const columns = loadBalancerColumns.map((c) => ({
    header: { value: c.header, fontWeight: "bold" as const },
    cell: (lb: (typeof items)[number]) => ({ value: neutralizeFormula(c.text(lb)) }),
    width: Math.max(12, c.header.length + 2),
  }));
  const body = await writeExcelFile(items, { columns, sheet: "Load Balancers" }).toBuffer();
  return { body, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName };
}
