import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAccessLogLine } from "@/engine/protocol/access-log-line";
import { parseStatusFilter } from "./status-filter";
import { parseCursor } from "./record-key";
import { searchStream } from "./search-stream";
import { downloadStream } from "./download-stream";
import { testLine, writeTestFile, type TestRecord } from "./test-lines";

/**
 * Searching a stream's files (guide chapter 7, Access Logs tab): filters, newest first, cursor paging,
 * .log.gz and the plain .log being written (its partial last line ignored), workers merged.
 */
const root = mkdtempSync(path.join(os.tmpdir(), "elb-access-search-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const H = 3_600_000;
const HOUR0 = Date.UTC(2026, 11, 1, 10); // 10:00 UTC, finished (gz); 11:00 being written (plain)
const sec = (hour: number, s: number) => HOUR0 + hour * H + s * 1000;
const status = (text: string) => {
  const parsed = parseStatusFilter(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.filter;
};

// Hour 0: worker 0 (gz) every 10 s from 0 s, worker 1 (gz) every 10 s from 5 s; hour 1: worker 0 plain, with a half-written line.
function records(hour: number, offset: number, count: number, shape: (i: number) => Partial<TestRecord>): TestRecord[] {
  return Array.from({ length: count }, (_, i) => ({ ms: sec(hour, offset + i * 10), status: 200, ...shape(i) }));
}
const w0 = records(0, 0, 30, (i) => ({ status: i % 10 === 3 ? 404 : i % 7 === 0 ? 503 : 200, path: i % 2 ? "/api/orders" : "/static/app.js" }));
const w1 = records(0, 5, 30, (i) => ({ status: i % 5 === 0 ? 502 : 200, clientIp: i % 3 ? "10.1.2.3" : "192.0.2.77", path: "/api/users" }));
const h1 = records(1, 0, 20, (i) => ({ status: i === 19 ? 500 : 200, path: "/api/orders", userAgent: i === 4 ? "Needle-Agent/1.0" : undefined }));
const folder = path.join(root, "group", "stream");
writeTestFile(folder, HOUR0, 0, w0.map((r) => testLine(r)), { gzip: true });
writeTestFile(folder, HOUR0, 1, w1.map((r) => testLine(r)), { gzip: true });
writeTestFile(folder, HOUR0 + H, 0, h1.map((r) => testLine(r)), { tail: testLine({ ms: sec(1, 999), status: 418 }).slice(0, -1) }); // newline not written yet: it would parse, but is not a record yet
writeTestFile(folder, HOUR0 - 5 * H, 0, ["not a record\n"], { gzip: true }); // outside every range below
const all = [...w0, ...w1, ...h1].sort((a, b) => b.ms - a.ms); // newest first
const everything = { fromMs: HOUR0, toMs: HOUR0 + 2 * H - 1 };
const msOf = (page: { records: { entry: { msec: number } }[] }) => page.records.map((r) => Math.round(r.entry.msec * 1000));

describe("searchStream", () => {
  it("returns the newest records first across gz and plain files and workers, ignoring the partial last line", async () => {
    const page = await searchStream(folder, everything, 200);
    expect(msOf(page)).toEqual(all.map((r) => r.ms));
    expect(page.olderCursor).toBeNull();
    expect(page.records[0]!.entry.status).toBe(500); // the last whole line of the plain file, not the unterminated 418
    expect(parseAccessLogLine(page.records[0]!.line + "\n")).toEqual(page.records[0]!.entry);
  });

  it("pages older with the cursor, every record exactly once, and stops after the hour that filled the page", async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await searchStream(folder, everything, 7, cursor ? parseCursor(cursor) : null);
      if (pages === 0) expect(page.linesScanned).toBe(20); // the newest hour alone fills the first page
      seen.push(...msOf(page));
      cursor = page.olderCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(all.map((r) => r.ms));
    expect(pages).toBe(Math.ceil(all.length / 7));
  });

  it("filters by status codes and classes, client IP, path prefix, free text and time range", async () => {
    const by = async (filter: object) => msOf(await searchStream(folder, { ...everything, ...filter }, 500));
    const expected = (keep: (r: TestRecord) => boolean) => all.filter(keep).map((r) => r.ms);
    expect(await by({ status: status("404") })).toEqual(expected((r) => r.status === 404));
    expect(await by({ status: status("5xx") })).toEqual(expected((r) => r.status >= 500));
    expect(await by({ status: status("404, 502") })).toEqual(expected((r) => r.status === 404 || r.status === 502));
    expect(await by({ clientIp: "192.0.2.77" })).toEqual(expected((r) => r.clientIp === "192.0.2.77"));
    expect(await by({ clientIp: "192.0.2.7" })).toEqual([]); // an address, not a prefix
    expect(await by({ pathPrefix: "/api/" })).toEqual(expected((r) => r.path?.startsWith("/api/") ?? false));
    expect(await by({ pathPrefix: "/orders" })).toEqual([]); // a prefix of the path, not a substring
    expect(await by({ text: "needle-agent" })).toEqual(expected((r) => r.userAgent === "Needle-Agent/1.0"));
    expect(await by({ fromMs: sec(0, 100), toMs: sec(0, 200) })).toEqual(expected((r) => r.ms >= sec(0, 100) && r.ms <= sec(0, 200)));
    expect(await by({ status: status("2xx"), pathPrefix: "/api/users", clientIp: "10.1.2.3" })).toEqual(
      expected((r) => r.status === 200 && r.path === "/api/users" && r.clientIp !== "192.0.2.77"),
    );
    expect(msOf(await searchStream(path.join(root, "no", "such"), everything, 10))).toEqual([]);
  });

  it("a newest hour holding exactly one page of matches still reads on for the older page's cursor", async () => {
    const small = path.join(root, "group", "exact-page");
    writeTestFile(small, HOUR0, 0, [10, 20, 30].map((s) => testLine({ ms: sec(0, s), status: 200 })), { gzip: true });
    writeTestFile(small, HOUR0 + H, 0, [10, 20].map((s) => testLine({ ms: sec(1, s), status: 200 })));
    const first = await searchStream(small, everything, 2);
    expect(msOf(first)).toEqual([sec(1, 20), sec(1, 10)]);
    expect(first.olderCursor).not.toBeNull(); // the older hour has more
    const second = await searchStream(small, everything, 2, parseCursor(first.olderCursor!));
    expect(msOf(second)).toEqual([sec(0, 30), sec(0, 20)]);
    const last = await searchStream(small, everything, 2, parseCursor(second.olderCursor!));
    expect(msOf(last)).toEqual([sec(0, 10)]);
    expect(last.olderCursor).toBeNull();
  });

  it("the client IP is the whole address even when the raw line holds it elsewhere (the EIP) before a colon", async () => {
    const eip = path.join(root, "group", "eip-prefix");
    // testLine's EIP is 203.0.113.9:80: every line holds " 203.0.113.9:", a client 203.0.113.99 starts with it.
    writeTestFile(eip, HOUR0, 0, [testLine({ ms: sec(0, 1), status: 200, clientIp: "203.0.113.99" }), testLine({ ms: sec(0, 2), status: 200, clientIp: "203.0.113.9" })]);
    expect(msOf(await searchStream(eip, { ...everything, clientIp: "203.0.113.9" }, 10))).toEqual([sec(0, 2)]);
  });

  it("downloads the matching raw lines oldest first, workers merged by time", async () => {
    let text = "";
    for await (const chunk of downloadStream(folder, { ...everything, pathPrefix: "/api/" })) text += chunk;
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    const expected = [...all].reverse().filter((r) => r.path?.startsWith("/api/"));
    expect(lines).toEqual(expected.map((r) => testLine(r).slice(0, -1)));
  });
});
