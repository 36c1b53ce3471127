import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { httpListener, httpPool, request, startBackend, type HttpBackend } from "../l7/test-support/http-fixture";
import { createConnectionContext } from "../observe/connection-context";
import { NOOP_OBSERVER } from "../observe/noop-observer";
import { createPoolRuntime } from "../pools/pool-runtime";
import type { SnapshotStickySession } from "../protocol/snapshot.types";
import { createHttpHandler } from "./http";

/**
 * Application-cookie stickiness seen through an HTTP listener: only a value the backend issued under the
 * configured cookie name binds a client to a member; a value the engine never learned (forged, stale from
 * another balancer, or issued under another cookie name) is balanced like no cookie, and a learned value
 * is forgotten when the backend expires it or when it goes unused for the stickiness duration.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Three backends a, b, c answering their name. `/login` issues `SID=s-<name>-<n>`, `/other` issues a
 * cookie of another name (`OTHER=o-<name>`), `/logout` expires the SID it received (`Max-Age=0`).
 */
async function setup(sticky: SnapshotStickySession) {
  let issued = 0;
  const backends: HttpBackend[] = [];
  for (const name of ["a", "b", "c"]) {
    const backend = await startBackend(name, (req, res) => {
      req.resume();
      if (req.url === "/login") res.setHeader("Set-Cookie", `SID=s-${name}-${++issued}; Path=/; HttpOnly`);
      if (req.url === "/other") res.setHeader("Set-Cookie", `OTHER=o-${name}; Path=/`);
      if (req.url === "/logout") res.setHeader("Set-Cookie", `${/SID=[^;]*/.exec(req.headers.cookie ?? "")?.[0] ?? "SID="}; Max-Age=0; Path=/`);
      res.end(name);
    });
    backends.push(backend);
    cleanups.push(() => backend.close());
  }
  const runtime = createPoolRuntime(httpPool(backends.map((b) => ({ id: b.name, port: b.port })), { stickySession: sticky }));
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const handler = createHttpHandler({ listener: httpListener(port), pool: runtime });
  const binding = { listenerId: "listener-1", localAddress: "127.0.0.1", localPort: port, bandwidth: null, observer: NOOP_OBSERVER };
  server.on("connection", (socket) => handler.handle(socket, createConnectionContext(binding, socket.remoteAddress, socket.remotePort)));
  cleanups.push(async () => {
    server.close();
    await handler.drain(200);
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  cleanups.push(() => agent.destroy());
  /** Members that answered `times` requests carrying `cookie`. */
  const answers = async (cookie: string, times = 6, path = "/") => {
    const names = new Set<string>();
    for (let i = 0; i < times; i++) names.add((await request(port, { agent, path, headers: { Cookie: `theme=dark; ${cookie}` } })).body);
    return names;
  };
  /** Logs in: the SID cookie the backend issued and who issued it. */
  const login = async () => {
    const res = await request(port, { agent, path: "/login" });
    return { cookie: res.headers["set-cookie"]![0]!.split(";")[0]!, member: res.body };
  };
  return { port, agent, answers, login };
}

const SID_20_MIN: SnapshotStickySession = { type: "APP_COOKIE", cookieName: "SID", durationMinutes: 20 };

describe("HTTP listener: application-cookie stickiness", () => {
  it("a value the backend issued sticks; a foreign value (never issued, or issued under another cookie name) is balanced", async () => {
    const { port, agent, answers, login } = await setup(SID_20_MIN);
    const session = await login();
    expect(await answers(session.cookie)).toEqual(new Set([session.member])); // the setup does stick

    expect(await answers("SID=forged-by-the-client")).toEqual(new Set(["a", "b", "c"]));
    expect(await answers("SID=s-a-999")).toEqual(new Set(["a", "b", "c"])); // looks like one of ours, never issued

    const other = await request(port, { agent, path: "/other" });
    const otherValue = other.headers["set-cookie"]![0]!.split(";")[0]!.split("=")[1]!; // "o-<member>", under OTHER
    expect(await answers(`SID=${otherValue}`)).toEqual(new Set(["a", "b", "c"]));
    expect(await answers(session.cookie)).toEqual(new Set([session.member])); // the real session is untouched
  });

  it("forgets a value the backend expired (Set-Cookie … Max-Age=0): the next requests carrying it are balanced", async () => {
    const { answers, login } = await setup(SID_20_MIN);
    const session = await login();
    expect(await answers(session.cookie)).toEqual(new Set([session.member]));
    expect(await answers(session.cookie, 1, "/logout")).toEqual(new Set([session.member])); // routed by it, then expired by its member
    expect(await answers(session.cookie)).toEqual(new Set(["a", "b", "c"]));
  });

  it("keeps a value while it is used (sliding), forgets it after the stickiness duration unused", async () => {
    const { answers, login } = await setup({ type: "APP_COOKIE", cookieName: "SID", durationMinutes: 0.02 }); // 1 200 ms
    const session = await login();
    const learnedAt = Date.now();
    while (Date.now() - learnedAt < 2000) {
      expect(await answers(session.cookie, 1)).toEqual(new Set([session.member])); // every use refreshes it
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 1200 + 400)); // unused for longer than the duration
    expect(await answers(session.cookie)).toEqual(new Set(["a", "b", "c"]));
  });
});
