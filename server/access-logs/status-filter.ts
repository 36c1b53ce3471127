/**
 * The Status filter of the Access Logs tab: comma-separated codes ("404") and classes ("5xx"), e.g.
 * "404, 5xx". Parsed once into a 600-slot table so a line is checked with one array read.
 */
export type StatusFilter = Uint8Array;

const ITEM = /^([1-5])(xx|\d\d)$/i;

/** The table of the status codes `text` selects, or an error message naming the field and the forms allowed. */
export function parseStatusFilter(text: string): { ok: true; filter: StatusFilter } | { ok: false; message: string } {
  const filter = new Uint8Array(600);
  const items = text.split(",").map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) return { ok: false, message: "Status: enter codes (404) or classes (5xx) separated by commas" };
  for (const item of items) {
    const m = ITEM.exec(item);
    if (!m) return { ok: false, message: `Status: ${item} is neither a code from 100 to 599 (404) nor a class 1xx to 5xx` };
    const hundreds = Number(m[1]) * 100;
    if (m[2]!.toLowerCase() === "xx") filter.fill(1, hundreds, hundreds + 100);
    else filter[hundreds + Number(m[2])] = 1;
  }
  return { ok: true, filter };
}

/** True when the filter selects `status`. */
export function statusSelected(filter: StatusFilter, status: number): boolean {
  return status >= 0 && status < 600 && filter[status] === 1;
}
