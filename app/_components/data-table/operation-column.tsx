"use client";
import { Button } from "@/app/_components/ui/button";
import type { Column } from "./data-table";

/**
 * The Operation column of a resource list: Modify and Delete links for the row. With `nameOf`, their
 * accessible names say which row ("Modify certificate www"); without, they are just Modify and Delete.
 */
export function operationColumn<T>({ onModify, onDelete, nameOf }: { onModify: (row: T) => void; onDelete: (row: T) => void; nameOf?: (row: T) => string }): Column<T> {
  return {
    id: "operation",
    header: "Operation",
    cell: (row) => (
      <span className="flex gap-3 whitespace-nowrap">
        <Button variant="link" aria-label={nameOf && `Modify ${nameOf(row)}`} onClick={() => onModify(row)}>
          Modify
        </Button>
        <Button variant="link" aria-label={nameOf && `Delete ${nameOf(row)}`} onClick={() => onDelete(row)}>
          Delete
        </Button>
      </span>
    ),
  };
}
