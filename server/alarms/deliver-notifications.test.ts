import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { alarmHistory, alarmNotifications, alarmRules } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../services/test-support";
import { createTestLoadBalancer } from "../services/listener/test-fixtures";
import { createAlarmRule } from "../services/alarm-rule/create-alarm-rule";
import { deliverDueNotifications } from "./deliver-notifications";

/** Delivery of alarm notifications to a real HTTP receiver on 127.0.0.1: success, retry after a 500, unreachable → FAILED. */
let bed: ServiceTestBed;
let ruleId: string;
let historyId: string;
let receiver: http.Server;
let receiverUrl: string;
/** What the receiver answers next (a queue of status codes; 200 when empty) and what it got. */
const answers: number[] = [];
const received: { method: string; contentType: string | undefined; body: unknown }[] = [];

beforeAll(async () => {
  bed = await createServiceTestBed();
  const lb = await createTestLoadBalancer(bed, "elb-deliver");
  ruleId = (await createAlarmRule(bed.ctx, { name: "deliver", dimension: "LOAD_BALANCER", loadBalancerId: lb.id, metric: "m1_cps", statistic: "RAW", periodSeconds: 60, comparison: ">", threshold: 1, consecutivePeriods: 1, severity: "MINOR" })).id;
  historyId = (await bed.ctx.db.insert(alarmHistory).values({ ruleId, fromState: "OK", toState: "ALARM", value: 2, reason: "2 > 1" }).returning())[0]!.id;
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ method: req.method!, contentType: req.headers["content-type"], body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      res.writeHead(answers.shift() ?? 200).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await bed?.close();
});

/** A clock the test moves: deliveries are judged against it, no sleeping. */
let clock = Date.UTC(2026, 11, 1);
const deliver = () => deliverDueNotifications({ db: bed.ctx.db, now: () => clock, timeoutMs: 2_000, maxAttempts: 3, backoffMs: 1_000 });
const queue = async (url: string, payload: unknown) =>
  (await bed.ctx.db.insert(alarmNotifications).values({ ruleId, historyId, url, payload, nextAttemptAt: new Date(clock) }).returning())[0]!.id;
const row = async (id: string) => (await bed.ctx.db.select().from(alarmNotifications).where(eq(alarmNotifications.id, id)))[0]!;

describe("deliverDueNotifications", () => {
  it("POSTs the payload as JSON once; a 2xx makes it DELIVERED", async () => {
    received.length = 0;
    const id = await queue(receiverUrl, { event: "ALARM", value: 2 });
    expect(await deliver()).toBe(1);
    expect(received).toEqual([{ method: "POST", contentType: "application/json", body: { event: "ALARM", value: 2 } }]);
    expect(await row(id)).toMatchObject({ status: "DELIVERED", attempts: 1, lastStatusCode: 200, lastError: null, nextAttemptAt: null, deliveredAt: new Date(clock) });
    // Delivered: never sent again.
    clock += 60_000;
    expect(await deliver()).toBe(0);
    expect(received).toHaveLength(1);
  });

  it("a 500 is retried after the backoff, then delivered", async () => {
    received.length = 0;
    answers.push(500);
    const id = await queue(receiverUrl, { event: "RECOVERED" });
    expect(await deliver()).toBe(1);
    expect(await row(id)).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: 500, lastError: "HTTP 500 Internal Server Error", nextAttemptAt: new Date(clock + 1_000) });
    // Not due before the backoff has passed.
    clock += 999;
    expect(await deliver()).toBe(0);
    clock += 1;
    expect(await deliver()).toBe(1);
    expect(received).toHaveLength(2);
    expect(await row(id)).toMatchObject({ status: "DELIVERED", attempts: 2, lastStatusCode: 200, lastError: null });
  });

  it("an unreachable receiver is FAILED after 3 attempts with doubling backoff, the error recorded", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const id = await queue(`http://127.0.0.1:${port}/hook`, { event: "ALARM" });
    expect(await deliver()).toBe(1);
    expect(await row(id)).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: null, lastError: expect.stringMatching(/ECONNREFUSED/), nextAttemptAt: new Date(clock + 1_000) });
    clock += 1_000;
    expect(await deliver()).toBe(1);
    expect(await row(id)).toMatchObject({ status: "PENDING", attempts: 2, nextAttemptAt: new Date(clock + 2_000) });
    clock += 2_000;
    expect(await deliver()).toBe(1);
    expect(await row(id)).toMatchObject({ status: "FAILED", attempts: 3, lastStatusCode: null, lastError: expect.stringMatching(/ECONNREFUSED/), nextAttemptAt: null, deliveredAt: null });
    clock += 60_000;
    expect(await deliver()).toBe(0);
  });

  it("the backoff doubles for every further attempt (1 s, 2 s, 4 s with 4 attempts), not growing by one step", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const id = await queue(`http://127.0.0.1:${port}/hook`, { event: "ALARM" });
    const run = () => deliverDueNotifications({ db: bed.ctx.db, now: () => clock, timeoutMs: 2_000, maxAttempts: 4, backoffMs: 1_000 });
    for (const [attempt, wait] of [[1, 1_000], [2, 2_000], [3, 4_000]] as const) {
      expect(await run()).toBe(1);
      expect(await row(id)).toMatchObject({ status: "PENDING", attempts: attempt, nextAttemptAt: new Date(clock + wait) });
      clock += wait - 1;
      expect(await run()).toBe(0); // not due a millisecond early
      clock += 1;
    }
    expect(await run()).toBe(1);
    expect(await row(id)).toMatchObject({ status: "FAILED", attempts: 4, nextAttemptAt: null });
  });

  it("a redirect is a failed attempt (3xx recorded), not followed to where it points", async () => {
    const hits: string[] = [];
    const redirecting = http.createServer((req, res) => {
      hits.push(req.url!);
      req.resume();
      if (req.url === "/hook") res.writeHead(307, { location: "/elsewhere" }).end();
      else res.writeHead(200).end("ok");
    });
    await new Promise<void>((resolve) => redirecting.listen(0, "127.0.0.1", resolve));
    try {
      const id = await queue(`http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/hook`, { event: "ALARM" });
      expect(await deliverDueNotifications({ db: bed.ctx.db, now: () => clock, timeoutMs: 2_000, maxAttempts: 1 })).toBe(1);
      expect(hits).toEqual(["/hook"]);
      expect(await row(id)).toMatchObject({ status: "FAILED", attempts: 1, lastStatusCode: 307, deliveredAt: null });
    } finally {
      redirecting.closeAllConnections();
      await new Promise((resolve) => redirecting.close(resolve));
    }
  });

  it("a receiver that never answers times out", async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const id = await queue(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, {});
      const started = Date.now();
      expect(await deliverDueNotifications({ db: bed.ctx.db, now: () => clock, timeoutMs: 300, maxAttempts: 1 })).toBe(1);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await row(id)).toMatchObject({ status: "FAILED", attempts: 1, lastError: "timed out after 300 ms" });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("deleting the rule deletes its notifications", async () => {
    await bed.ctx.db.delete(alarmRules).where(eq(alarmRules.id, ruleId));
    expect(await bed.ctx.db.select().from(alarmNotifications)).toEqual([]);
  });
});
