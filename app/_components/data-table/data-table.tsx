"use client";
import { Fragment, type ReactNode } from "react";
import { errorMessage } from "@/app/_lib/format";

/** One column of a resource list. */
export interface Column<T> {
  id: string;
  header: string;
  cell: (row: T) => ReactNode;
  /** Column can be sorted by the server (the list's sortBy value). */
  sortable?: boolean;
  className?: string;
}

/** Sorting state of a list. */
export interface SortState {
  by: string;
  direction: "asc" | "desc";
}

/** Props of the shared resource list: rows, columns, and the loading/error/empty/paging states. */
export interface DataTableProps<T> {
  label: string;
  columns: Column<T>[];
  rows: T[] | undefined;
  getRowId: (row: T) => string;
  isLoading?: boolean;
  error?: unknown;
  /** Shown when there are no rows (with filters: "no match"; without: what to create first). */
  empty: ReactNode;
  sort?: SortState;
  onSortChange?: (sort: SortState) => void;
  pagination?: { page: number; pageSize: number; total: number; onPageChange: (page: number) => void };
  selection?: { selected: ReadonlySet<string>; onChange: (selected: Set<string>) => void };
  /** A row's expanded details, shown in a full-width row below it; null when the row is not expanded. */
  expandedRow?: (row: T) => ReactNode;
}

/** The one resource-list pattern of the console (shadcn's data-table recipe, server-side paging). */
export function DataTable<T>({ label, columns, rows, getRowId, isLoading, error, empty, sort, onSortChange, pagination, selection, expandedRow }: DataTableProps<T>) {
  const colSpan = columns.length + (selection ? 1 : 0);
  const allIds = rows?.map(getRowId) ?? [];
  const allSelected = selection && allIds.length > 0 && allIds.every((id) => selection.selected.has(id));
  return (
    <div className="overflow-hidden rounded bg-white ring-1 ring-slate-200">
      <table aria-label={label} className="w-full border-collapse text-left">
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {selection && (
              <th className="w-8 px-3 py-2">
                <input type="checkbox" aria-label="Select all" checked={!!allSelected} onChange={() => selection.onChange(allSelected ? new Set() : new Set(allIds))} />
              </th>
            )}
            {columns.map((column) => (
              <th key={column.id} className={`px-3 py-2 font-medium ${column.className ?? ""}`}>
                {column.sortable && sort && onSortChange ? (
                  <button
                    className="inline-flex items-center gap-1 uppercase hover:text-brand"
                    onClick={() => onSortChange({ by: column.id, direction: sort.by === column.id && sort.direction === "asc" ? "desc" : "asc" })}
                  >
                    {column.header}
                    <span aria-hidden>{sort.by === column.id ? (sort.direction === "asc" ? "▲" : "▼") : "↕"}</span>
                  </button>
                ) : (
                  column.header
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {isLoading ? (
            <tr>
              <td colSpan={colSpan} className="px-3 py-10 text-center text-slate-500">
                Loading…
              </td>
            </tr>
          ) : error ? (
            <tr>
              <td colSpan={colSpan} role="alert" className="px-3 py-10 text-center text-red-600">
                Could not load: {errorMessage(error)}
              </td>
            </tr>
          ) : !rows || rows.length === 0 ? (
            <tr>
              <td colSpan={colSpan} className="px-3 py-10 text-center text-slate-500">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((row) => {
              const id = getRowId(row);
              const expanded = expandedRow?.(row);
              return (
                <Fragment key={id}>
                  <tr className="border-t border-slate-100 hover:bg-slate-50">
                    {selection && (
                      <td className="px-3 py-2">
                        <input
                          type="checkbox"
                          aria-label={`Select ${id}`}
                          checked={selection.selected.has(id)}
                          onChange={() => {
                            const next = new Set(selection.selected);
                            if (next.has(id)) next.delete(id);
                            else next.add(id);
                            selection.onChange(next);
                          }}
                        />
                      </td>
                    )}
                    {columns.map((column) => (
                      <td key={column.id} className={`px-3 py-2 align-top ${column.className ?? ""}`}>
                        {column.cell(row)}
                      </td>
                    ))}
                  </tr>
                  {expanded != null && (
                    <tr className="bg-slate-50">
                      <td colSpan={colSpan} className="px-3 py-3">
                        {expanded}
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })
          )}
        </tbody>
      </table>
      {pagination && <Pagination {...pagination} />}
    </div>
  );
}

function Pagination({ page, pageSize, total, onPageChange }: { page: number; pageSize: number; total: number; onPageChange: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <div className="flex items-center justify-end gap-3 border-t border-slate-100 px-3 py-2 text-xs text-slate-600">
      <span>Total records: {total}</span>
      <button className="rounded px-2 py-1 ring-1 ring-slate-200 disabled:opacity-40" disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
        Previous
      </button>
      <span>
        {page} / {pages}
      </span>
      <button className="rounded px-2 py-1 ring-1 ring-slate-200 disabled:opacity-40" disabled={page >= pages} onClick={() => onPageChange(page + 1)}>
        Next
      </button>
    </div>
  );
}
