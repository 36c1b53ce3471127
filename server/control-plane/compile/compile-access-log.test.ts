import { describe, expect, it } from "vitest";
import type { AccessLogStreamRow } from "../load-config-rows";
import { compileSnapshot } from "./index";
import { listenerRow, validRows } from "./test-rows";

/** Access logging in the compiled snapshot (guide chapter 7): `SnapshotListener.accessLog`. */
const HASH_OF_VALID_ROWS = "18e1bc8ed077da3ec80e1cc37f67f90f7f0d3e92392162dc274b29e7546241b8";
const compile = (rows = validRows()) => compileSnapshot(rows, 1, "epoch");

const stream = (extra: Partial<AccessLogStreamRow> = {}): AccessLogStreamRow => ({
  streamId: "s-1",
  groupId: "g-1",
  retentionDays: 3,
  maxSizeMegabytes: 5,
  syslogProtocol: null,
  syslogHost: null,
  syslogPort: null,
  ...extra,
});

/** validRows() with lb-a (EIP 127.20.0.8; HTTP listener l-http, TCP listener l-bare) logging into s-1, plus an HTTPS-less second HTTP listener on lb-b. */
function loggingRows(streamExtra: Partial<AccessLogStreamRow> = {}) {
  const rows = validRows();
  rows.accessLogStreams = [stream(streamExtra), stream({ streamId: "s-other", groupId: "g-2" })];
  Object.assign(rows.loadBalancers.find((lb) => lb.id === "lb-a")!, { accessLogEnabled: true, accessLogStreamId: "s-1" });
  rows.listeners.push(listenerRow("l-http-b", "lb-b", { protocol: "HTTP", port: 8081 }));
  return rows;
}

describe("compiled access log", () => {
  it("adds no accessLog while logging is off, so the snapshot hash stays what it was", () => {
    const rows = validRows();
    rows.accessLogStreams = [stream()];
    // A stream selected but logging disabled compiles to nothing either.
    Object.assign(rows.loadBalancers.find((lb) => lb.id === "lb-a")!, { accessLogEnabled: false, accessLogStreamId: "s-1" });
    const { snapshot, diagnostics } = compile(rows);
    expect(diagnostics).toEqual([]);
    expect(JSON.stringify(snapshot)).not.toContain("accessLog");
    expect(snapshot.hash).toBe(HASH_OF_VALID_ROWS);
  });

  it("compiles the stream, group, tenant, EIP and retention into every HTTP/HTTPS listener of a logging load balancer only", () => {
    const { snapshot, diagnostics } = compile(loggingRows());
    expect(diagnostics).toEqual([]);
    const byId = new Map(snapshot.listeners.map((l) => [l.id, l]));
    expect(byId.get("l-http")!.accessLog).toEqual({
      streamId: "s-1",
      groupId: "g-1",
      tenantId: "project-1",
      eipAddress: "127.20.0.8",
      retentionDays: 3,
      maxBytes: 5 * 1024 * 1024,
      syslog: null,
    });
    expect(byId.get("l-bare")!.accessLog).toBeUndefined(); // TCP: no table 7-1 records
    expect(byId.get("l-http-b")!.accessLog).toBeUndefined(); // lb-b does not log
    expect(byId.get("l-udp")!.accessLog).toBeUndefined();
    expect(snapshot.hash).not.toBe(compile({ ...loggingRows(), loadBalancers: validRows().loadBalancers }).snapshot.hash);
  });

  it("compiles a null EIP without a bound EIP and the stream's syslog target; a missing stream is reported, not guessed", () => {
    const rows = loggingRows({ syslogProtocol: "TCP", syslogHost: "127.0.0.1", syslogPort: 6514 });
    rows.eips = [];
    expect(compile(rows).snapshot.listeners.find((l) => l.id === "l-http")!.accessLog).toMatchObject({ eipAddress: null, syslog: { protocol: "TCP", host: "127.0.0.1", port: 6514 } });
    rows.accessLogStreams = [];
    const { snapshot, diagnostics } = compile(rows);
    expect(snapshot.listeners.find((l) => l.id === "l-http")!.accessLog).toBeUndefined();
    expect(diagnostics).toEqual([{ kind: "listener", id: "l-http", name: "listener-l-http", message: "its load balancer's access log stream s-1 does not exist; the listener writes no access log" }]);
  });
});

describe("compiled log groups (accessLogGroups: the engine's retention of every group)", () => {
  const group = (id: string, retentionDays: number, maxSizeMegabytes: number) => ({ id, retentionDays, maxSizeMegabytes });

  it("lists every log group's retention in id order, logged into or not", () => {
    const rows = validRows();
    rows.logGroups = [group("g-2", 30, 1), group("g-1", 3, 5)]; // no load balancer logs into either
    const { snapshot, diagnostics } = compile(rows);
    expect(diagnostics).toEqual([]);
    expect(snapshot.accessLogGroups).toEqual([
      { groupId: "g-1", retentionDays: 3, maxBytes: 5 * 1024 * 1024 },
      { groupId: "g-2", retentionDays: 30, maxBytes: 1024 * 1024 },
    ]);
    // The list counts in the hash: a changed retention reaches the engine even when nobody logs into the group.
    expect(snapshot.hash).not.toBe(HASH_OF_VALID_ROWS);
    rows.logGroups = [group("g-2", 30, 1), group("g-1", 4, 5)];
    expect(compile(rows).snapshot.hash).not.toBe(snapshot.hash);
  });

  it("sends [] when there are no log groups (the engine deletes every group's folder) with the hash of before log groups existed", () => {
    const rows = validRows();
    rows.logGroups = [];
    const { snapshot } = compile(rows);
    expect(snapshot.accessLogGroups).toEqual([]);
    expect(snapshot.hash).toBe(HASH_OF_VALID_ROWS);
    expect(JSON.stringify(compile(validRows()).snapshot)).not.toContain("accessLogGroups"); // rows without the table read: no list at all
  });
});
