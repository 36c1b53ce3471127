import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../limits/token-bucket";
import { freePort } from "../../test-support/backends";
import { RecordingObserver } from "../../test-support/recording-observer";
import { httpPool } from "../test-support/http-fixture";
import { h2Request, until } from "./test-support/h2-fixture";
import { useH2Suite } from "./test-support/h2-suite";

const suite = useH2Suite();

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe("HTTP/2 streams under the listener's limits", () => {
  it("on a limited address (EIP, 8 Mbit/s) the streams of a session share its bandwidth", async () => {
    const payload = randomBytes(768 * 1024);
    const backend = await suite.backend("big", (_req, res) => {
      res.setHeader("Content-Length", String(payload.length));
      res.end(payload);
    });
    const proxy = await suite.proxyTo(backend, {}, { bandwidth: new TokenBucket(8) });
    const client = await suite.session(proxy.port);

    const started = Date.now();
    const [one, two] = await Promise.all([h2Request(client, { ":path": "/1" }), h2Request(client, { ":path": "/2" })]);
    const seconds = (Date.now() - started) / 1000;
    expect(sha256(one.body)).toBe(sha256(payload));
    expect(sha256(two.body)).toBe(sha256(payload));
    // 1.5 MiB at 1 MB/s (8 Mbit/s), less the bucket's burst: about 1.5 s; unshaped it takes milliseconds.
    expect(seconds).toBeGreaterThan(1.2);
    expect(seconds).toBeLessThan(6);
  });

  it("a member at maxConnectionsPerMember takes no more streams: the rest get 503 member_busy, nothing extra reaches it", async () => {
    const answers: (() => void)[] = [];
    const backend = await suite.backend("a", (_req, res) => {
      answers.push(() => res.end("a"));
    });
    const observer = new RecordingObserver();
    const proxy = await suite.proxyTo(backend, { maxConnectionsPerMember: 2 }, { observer });
    const client = await suite.session(proxy.port);

    const held = [h2Request(client, { ":path": "/1" }), h2Request(client, { ":path": "/2" })];
    while (answers.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const refused = await Promise.all([h2Request(client, { ":path": "/3" }), h2Request(client, { ":path": "/4" })]);
    expect(refused.map((r) => r.status)).toEqual([503, 503]);
    for (const answer of answers) answer();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
    expect(backend.connections).toBe(2);
    expect(observer.of("error").map((e) => e.kind)).toEqual(["member_busy", "member_busy"]);
  });

  it("a refused connect fails over to the next member (a small body is resent) and ejects the dead member after maxFails", async () => {
    const deadPort = await freePort(); // nothing listens there
    const backend = await suite.backend("live", (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => res.end(`live ${Buffer.concat(chunks).toString()}`));
    });
    const observer = new RecordingObserver();
    const proxy = await suite.proxy(httpPool([{ id: "dead", port: deadPort }, { id: "live", port: backend.port }]), { maxFails: 3 }, { observer });
    const client = await suite.session(proxy.port);

    const bodies: string[] = [];
    for (let i = 0; i < 10; i++) bodies.push((await h2Request(client, { ":method": "POST", ":path": "/", "content-length": "4" }, `b${i}`.padEnd(4, "."))).body.toString());
    expect(bodies).toEqual(Array.from({ length: 10 }, (_, i) => `live ${`b${i}`.padEnd(4, ".")}`));
    // Round robin offers the dead member every other request until its 3rd failure ejects it.
    expect(observer.of("error").map((e) => e.kind)).toEqual(["connect_failed", "connect_failed", "connect_failed"]);
    expect(proxy.pool!.byId("dead")!.ejectedUntil).toBeGreaterThan(0);
  });

  it("a small body still arriving when its chosen member goes unhealthy goes to the balancer's next pick once complete", async () => {
    const echo = (name: string) => (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => res.end(`${name} ${Buffer.concat(chunks).toString()}`));
    };
    const a = await suite.backend("a", echo("a"));
    const b = await suite.backend("b", echo("b"));
    const proxy = await suite.proxy(httpPool([{ id: "a", port: a.port }, { id: "b", port: b.port }]));
    const pool = proxy.pool!;
    pool.byId("b")!.healthy = false; // the head can only pick a
    const client = await suite.session(proxy.port);

    const stream = client.request({ ":method": "POST", ":path": "/", "content-length": "10" });
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.write("first");
    await until(() => proxy.handler.streamCount === 1);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the head went through the phases: a is chosen, not yet connected
    pool.byId("a")!.healthy = false;
    pool.byId("b")!.healthy = true;
    stream.end("-last");
    await new Promise((resolve) => stream.on("end", resolve));
    expect(Buffer.concat(chunks).toString()).toBe("b first-last");
    expect([a.connections, b.connections]).toEqual([0, 1]);
  });
});
