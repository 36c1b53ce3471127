import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../test-support/backends";
import { snapshot } from "../test-support/fixtures";
import { httpListener, httpPool, startBackend, type HttpBackend } from "../l7/test-support/http-fixture";
import { EngineRuntime } from "./engine-runtime";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A backend that answers its name; "/slow" answers after 300 ms, so requests are in flight during a change. */
async function backend(name: string): Promise<HttpBackend> {
  const b = await startBackend(name, (req, res) => {
    req.resume();
    req.on("end", () => (req.url === "/slow" ? setTimeout(() => res.end(name), 300) : res.end(name)));
  });
  cleanups.push(() => b.close());
  return b;
}

function get(agent: http.Agent, port: number, path: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, agent, method: body ? "POST" : "GET", timeout: 5000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("timeout", () => req.destroy(new Error("client timeout")));
    req.on("error", reject);
    req.end(body);
  });
}

describe("configuration changes under continuous load", () => {
  it("applies 20 snapshots while 8 keep-alive clients send requests: zero failed requests", async () => {
    const [a, b, c] = await Promise.all([backend("a"), backend("b"), backend("c")]);
    const port = await freePort();
    const runtime = new EngineRuntime({ drainGraceMs: 2000 });
    cleanups.push(() => runtime.stop(100));
    // a and b leave and come back; c stays in every version (only its weight changes).
    const members = [
      [{ id: "a", port: a.port, weight: 1 }, { id: "b", port: b.port, weight: 1 }, { id: "c", port: c.port, weight: 2 }],
      [{ id: "b", port: b.port, weight: 3 }, { id: "c", port: c.port, weight: 1 }],
      [{ id: "a", port: a.port, weight: 2 }, { id: "c", port: c.port, weight: 5 }],
      [{ id: "c", port: c.port, weight: 1 }],
    ];
    const apply = (version: number) =>
      runtime.apply(snapshot(version, [httpListener(port, { id: "l1", name: `listener-v${version}` })], [httpPool(members[version % members.length]!, { id: "pool-1" })]));
    expect((await apply(1)).errors).toEqual([]);

    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    cleanups.push(() => agent.destroy());
    let clientConnections = 0; // connections the clients opened to the engine
    const createConnection = agent.createConnection.bind(agent);
    agent.createConnection = ((...args: Parameters<typeof createConnection>) => (clientConnections++, createConnection(...args))) as typeof agent.createConnection;
    let stop = false;
    const results = { ok: 0, failed: [] as string[], byBackend: {} as Record<string, number> };
    const client = async (index: number) => {
      for (let i = 0; !stop; i++) {
        const path = i % 5 === 0 ? "/slow" : "/";
        try {
          const response = await get(agent, port, path, index % 2 ? `body-${index}-${i}` : undefined);
          if (response.status === 200) {
            results.ok++;
            results.byBackend[response.text] = (results.byBackend[response.text] ?? 0) + 1;
          } else results.failed.push(`status ${response.status}: ${response.text.slice(0, 80)}`);
        } catch (error) {
          results.failed.push((error as Error).message);
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, i) => client(i));
    for (let version = 2; version <= 21; version++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await apply(version)).errors).toEqual([]);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    stop = true;
    await Promise.all(clients);

    expect(results.failed).toEqual([]);
    expect(results.ok).toBeGreaterThan(200);
    expect(Object.keys(results.byBackend).sort()).toEqual(["a", "b", "c"]);
    expect(runtime.version).toBe(21);
    // Keep-alive survives the snapshots on both sides. The clients still use the 8 connections they
    // opened first. c, a member of every version, keeps the backend connections it got at the start: at
    // most one per request in flight (8), a few more if the 4 s idle sweep closed one on a slow machine
    // (8 is what it takes here). A listener rebuilt per snapshot drains the clients' connections (~80
    // opened) and starts a fresh backend pool each time (~36 connections to c).
    expect(clientConnections).toBe(8);
    expect(c.connections).toBeLessThanOrEqual(12);
    // a enters the pool 10 times, b 6 (their connection pools are closed while they are out): at most 8
    // new connections per entry; all in all far below one connection per request.
    expect(a.connections + b.connections).toBeLessThanOrEqual(8 * 16);
    expect(a.connections + b.connections + c.connections).toBeLessThan(results.ok / 2);
  });
});
