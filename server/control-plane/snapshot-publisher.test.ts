import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Snapshot } from "@/engine/protocol/snapshot.types";
import { createServiceTestBed, type ServiceTestBed } from "../services/test-support";
import type { ConfigDiagnostic } from "./compile";
import { buildNextSnapshot } from "./publish-snapshot";
import { createSnapshotPublisher } from "./snapshot-publisher";

let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
});

/** A publisher over the test database that counts compilations and keeps what it sent. */
function publisherOnTestDatabase(delayMs = 20) {
  const sent: Snapshot[] = [];
  let builds = 0;
  const publisher = createSnapshotPublisher({
    build: () => {
      builds++;
      return buildNextSnapshot(bed.ctx.db);
    },
    send: (snapshot) => sent.push(snapshot),
    delayMs,
  });
  return { publisher, sent, builds: () => builds };
}

describe("snapshot publisher", () => {
  it("coalesces change signals within the delay into one publish", async () => {
    const { publisher, sent, builds } = publisherOnTestDatabase();
    const first = await publisher.publishNow();
    expect(sent.map((s) => s.version)).toEqual([first]);
    for (let i = 0; i < 5; i++) publisher.configChanged();
    expect(builds()).toBe(1); // nothing before the delay
    await sleep(150);
    expect(builds()).toBe(2);
    expect(sent).toHaveLength(2);
  });

  it("a publish asked for while one runs joins it and compiles once more", async () => {
    const { publisher, builds } = publisherOnTestDatabase();
    const [a, b] = await Promise.all([publisher.publishNow(), publisher.publishNow()]);
    expect(a).toBe(b);
    expect(builds()).toBe(2);
  });

  it("keeps the diagnostics of the last compilation", async () => {
    const diagnostic: ConfigDiagnostic = { kind: "listener", id: "l-1", name: "web", message: "its load balancer lb-gone does not exist" };
    let next: ConfigDiagnostic[] = [diagnostic];
    const { snapshot } = await buildNextSnapshot(bed.ctx.db);
    const publisher = createSnapshotPublisher({ build: async () => ({ snapshot, diagnostics: next }), send: () => {} });
    expect(publisher.diagnostics()).toEqual([]);
    await publisher.publishNow();
    expect(publisher.diagnostics()).toEqual([diagnostic]);
    next = [];
    await publisher.publishNow();
    expect(publisher.diagnostics()).toEqual([]);
  });
});
