import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createPoolRuntime } from "../../pools/pool-runtime";
import type { PoolRuntime } from "../../pools/pool-runtime.types";
import type { SnapshotForwardingPolicy, SnapshotStickySession, UrlMatchRule } from "../../protocol/snapshot.types";
import { EngineRuntime } from "../../runtime/engine-runtime";
import { freePort } from "../../test-support/backends";
import { listener, member, pool, snapshot } from "../../test-support/fixtures";
import { RequestParser } from "../http1/request-parser";
import { httpListener, httpPool, rawExchange, request, startBackend, startProxy, type HttpBackend, type ProxyFixture } from "../test-support/http-fixture";
import { ForwardingPolicyPhase, type PolicyTarget } from "./forwarding-policy";
import type { PhaseRequest } from "./phase.types";

/**
 * The forwarding-policy phase through the real proxy: every group has a backend answering its own name,
 * so the body says which group a request reached. "default" is the listener's default group.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  proxy: ProxyFixture;
  backends: Map<string, HttpBackend>;
  pools: Map<string, PoolRuntime>;
  /** Replaces the listener's policies (new requests see them). */
  route(policies: SnapshotForwardingPolicy[]): void;
}

/** A proxy whose default group is "default" and one group per name in `groups` (each one backend answering its group name). */
async function setup(groups: string[], sticky: Record<string, SnapshotStickySession> = {}, membersPerGroup = 1, start = startBackend): Promise<Setup> {
  const backends = new Map<string, HttpBackend>();
  const pools = new Map<string, PoolRuntime>();
  for (const group of ["default", ...groups]) {
    const members = [];
    for (let i = 0; i < membersPerGroup; i++) {
      const name = membersPerGroup === 1 ? group : `${group}-${i}`;
      const backend = await start(name);
      cleanups.push(() => backend.close());
      backends.set(name, backend);
      members.push({ id: name, port: backend.port });
    }
    pools.set(group, createPoolRuntime(httpPool(members, { id: group, name: group, stickySession: sticky[group] ?? null })));
  }
  const proxy = await startProxy(null);
  cleanups.push(() => proxy.close());
  const route = (policies: SnapshotForwardingPolicy[]) => {
    const policyPools = new Map([...pools].filter(([id]) => id !== "default" && policies.some((p) => p.poolId === id)));
    proxy.handler.update({ listener: httpListener(proxy.port, { defaultPoolId: "default", forwardingPolicies: policies }), pool: pools.get("default")!, policyPools });
  };
  return { proxy, backends, pools, route };
}

let nextId = 0;
function policy(match: UrlMatchRule, url: string | null, poolId: string, domainName: string | null = null): SnapshotForwardingPolicy {
  return { id: `fp-${++nextId}`, domainName, url, match, poolId };
}

/** Which group answered GET `path` with Host `host`. */
async function reached(port: number, path: string, host = "www.elb.test"): Promise<string> {
  const res = await request(port, { path, headers: { host }, agent: false });
  expect(res.status).toBe(200);
  return res.body;
}

const PRESETS = ["/elb/index.html", "/elb", "/elb[^\\s]*", "/index.html"];

describe("forwarding policies (guide 3.8.1)", () => {
  it("table 3-8, cell by cell: /elb/index.html against each preset URL by each rule, every preset its own policy", async () => {
    const s = await setup(["g0", "g1", "g2", "g3"]);
    const table: Record<UrlMatchRule, boolean[]> = {
      EXACT: [true, false, false, false],
      PREFIX: [true, true, false, false],
      REGEX: [true, false, true, false],
    };
    const seen: Record<string, string[]> = {};
    for (const rule of ["EXACT", "PREFIX", "REGEX"] as const) {
      seen[rule] = [];
      for (let i = 0; i < PRESETS.length; i++) {
        s.route([policy(rule, PRESETS[i]!, `g${i}`)]);
        seen[rule].push(await reached(s.proxy.port, "/elb/index.html"));
      }
      expect(seen[rule], rule).toEqual(table[rule].map((hit, i) => (hit ? `g${i}` : "default")));
    }
  });

  it("table 3-8, one row at a time with all four presets as policies: exact, then the longest prefix, then the first regex", async () => {
    const s = await setup(["g0", "g1", "g2", "g3"]);
    const row = (rule: UrlMatchRule) => PRESETS.map((url, i) => policy(rule, url, `g${i}`));
    s.route(row("EXACT"));
    expect(await reached(s.proxy.port, "/elb/index.html")).toBe("g0");
    expect(await reached(s.proxy.port, "/elb")).toBe("g1");
    expect(await reached(s.proxy.port, "/elb/other.html")).toBe("default");
    s.route(row("PREFIX"));
    expect(await reached(s.proxy.port, "/elb/index.html")).toBe("g0"); // /elb matches too: the longest prefix wins
    expect(await reached(s.proxy.port, "/elb/other.html")).toBe("g1");
    expect(await reached(s.proxy.port, "/index.html")).toBe("g3");
    s.route(row("REGEX"));
    expect(await reached(s.proxy.port, "/elb/index.html")).toBe("g0"); // /elb[^\s]* matches too: creation order
    expect(await reached(s.proxy.port, "/elb/other.html")).toBe("g2");
    expect(await reached(s.proxy.port, "/x/index.html")).toBe("default"); // a regex matches the whole path, not a part
  });

  it("figure 3-1: /elb_gls/glossary.html goes to the prefix group although a regular expression matches too; exact beats both", async () => {
    const s = await setup(["group1", "group2", "group3"]);
    s.route([policy("REGEX", "/elb[^\\s]*", "group3"), policy("EXACT", "/elb_gls/index.html", "group1"), policy("PREFIX", "/elb_gls/", "group2")]);
    expect(await reached(s.proxy.port, "/elb_gls/glossary.html")).toBe("group2");
    expect(await reached(s.proxy.port, "/elb_gls/index.html")).toBe("group1");
    expect(await reached(s.proxy.port, "/elb_other.html")).toBe("group3");
    expect(await reached(s.proxy.port, "/other.html")).toBe("default");
  });

  it("domain policies: exact host (case-insensitive, port ignored) before domain-less ones; domain-only after its URL rules; query not matched; default otherwise", async () => {
    const s = await setup(["a-img", "a", "img", "login"]);
    s.route([
      policy("PREFIX", "/img", "img"),
      policy("EXACT", "/login", "login"),
      policy("PREFIX", "/img", "a-img", "www.a.test"),
      policy("EXACT", null, "a", "www.a.test"),
    ]);
    const port = s.proxy.port;
    expect(await reached(port, "/img/1.png", "www.a.test")).toBe("a-img");
    expect(await reached(port, "/other", "WWW.A.TEST:8080")).toBe("a");
    expect(await reached(port, "/other", "www.a.test.")).toBe("a"); // one trailing dot ignored
    expect(await reached(port, "/login", "www.a.test")).toBe("a"); // the domain's policies come before domain-less ones
    expect(await reached(port, "/img/1.png", "www.b.test")).toBe("img");
    expect(await reached(port, "/login?next=/img", "www.b.test")).toBe("login");
    expect(await reached(port, "/login/x", "www.b.test")).toBe("default");
    expect(await reached(port, "/", "www.b.test")).toBe("default");
    expect(await reached(port, "/img/1.png", "a.test")).toBe("img"); // exact domain match: no suffix matching
    // absolute-form: its authority is the host, its path is matched
    const { text } = await rawExchange(port, "GET http://www.a.test/img/2 HTTP/1.1\r\nHost: www.b.test\r\nConnection: close\r\n\r\n");
    expect(text).toMatch(/\r\n\r\na-img$/);
  });

  it("a policy whose group is not in the route is skipped; no policy left = no phase", async () => {
    const s = await setup(["g"]);
    s.route([policy("PREFIX", "/a", "ghost"), policy("PREFIX", "/", "g")]);
    expect(await reached(s.proxy.port, "/a/1")).toBe("g");
    expect(s.proxy.handler.route.phases.map((p) => p.name)).toEqual(["forwarding-policy", "pick-member"]);
    s.route([policy("PREFIX", "/a", "ghost")]);
    expect(s.proxy.handler.route.phases.map((p) => p.name)).toEqual(["pick-member"]);
    expect(await reached(s.proxy.port, "/a/1")).toBe("default");
  });

  it("the sticky session of a policy's group works: its cookie pins the member; the default group has none", async () => {
    const s = await setup(["web"], { web: { type: "HTTP_COOKIE", cookieName: null, durationMinutes: 20 } }, 2);
    s.route([policy("PREFIX", "/app", "web")]);
    const first = await request(s.proxy.port, { path: "/app/1", agent: false });
    const cookie = String(first.headers["set-cookie"]).split(";")[0]!;
    expect(cookie).toMatch(/^ELBSESSION=/);
    for (let i = 0; i < 6; i++) {
      const next = await request(s.proxy.port, { path: `/app/${i}`, headers: { cookie }, agent: false });
      expect(next.body).toBe(first.body);
    }
    const bodies = new Set<string>();
    for (let i = 0; i < 4; i++) bodies.add((await request(s.proxy.port, { path: "/app/x", agent: false })).body);
    expect(bodies.size).toBe(2); // without the cookie the group's two members share the requests
    const other = await request(s.proxy.port, { path: "/", headers: { cookie }, agent: false });
    expect(other.body).toBe("default-0");
    expect(other.headers["set-cookie"]).toBeUndefined();
  });

  it("500 exact + 500 prefix policies route correctly through the proxy", async () => {
    const s = await setup(["exact", "prefix"]);
    const policies: SnapshotForwardingPolicy[] = [];
    for (let i = 0; i < 500; i++) policies.push(policy("EXACT", `/exact/${i}.html`, "exact"), policy("PREFIX", `/prefix/${i}/`, "prefix"));
    s.route(policies);
    expect(await reached(s.proxy.port, "/exact/499.html")).toBe("exact");
    expect(await reached(s.proxy.port, "/prefix/250/deep/page")).toBe("prefix");
    expect(await reached(s.proxy.port, "/prefix/500/x")).toBe("default");
    expect(await reached(s.proxy.port, "/exact/1.htm")).toBe("default");
  });

  it("a ReDoS pattern ^(a+)+$ against a 30 000-character path of a's plus '!' returns at once and the request is answered", async () => {
    const s = await setup(["re"], {}, 1, startLongHeadBackend);
    s.route([policy("REGEX", "^(a+)+$", "re"), policy("REGEX", "^/(a+)+$", "re")]);
    const path = `/${"a".repeat(30_000)}!`;
    const phase = s.proxy.handler.route.phases[0]!;
    const started = performance.now();
    phase.run(phaseRequest(path));
    // A backtracking engine needs ~2^30 000 steps here; RE2 is linear (~1 ms). The bound only has to
    // tell those apart on a busy 2-core box.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await reached(s.proxy.port, path)).toBe("default");
    expect(await reached(s.proxy.port, `/${"a".repeat(30_000)}`)).toBe("re"); // the pattern does work
  });
});

describe("forwarding policies from a snapshot", () => {
  it("reach the engine's HTTP listener: policy pools are resolved by the runtime, and a new snapshot changes them for new requests", async () => {
    const [main, img] = [await startBackend("main"), await startBackend("img")];
    cleanups.push(() => main.close(), () => img.close());
    const port = await freePort();
    const rt = new EngineRuntime({ drainGraceMs: 100 });
    cleanups.push(() => rt.stop(100));
    const pools = [pool("main", [member("m", main.port)], { protocol: "HTTP" }), pool("img", [member("i", img.port)], { protocol: "HTTP" })];
    const apply = (version: number, forwardingPolicies: SnapshotForwardingPolicy[]) =>
      rt.apply(snapshot(version, [listener("h", port, "main", { protocol: "HTTP", idleTimeoutSeconds: 60, forwardingPolicies })], pools));
    await apply(1, [policy("PREFIX", "/img/", "img")]);
    expect(await reached(port, "/img/a.png")).toBe("img");
    expect(await reached(port, "/index.html")).toBe("main");
    await apply(2, [policy("EXACT", "/index.html", "img")]);
    expect(await reached(port, "/img/a.png")).toBe("main");
    expect(await reached(port, "/index.html")).toBe("img");
  });
});

describe("forwarding-policy lookup cost", () => {
  const target: PolicyTarget = { pool: createPoolRuntime(httpPool([{ id: "m", port: 1 }])), sticky: null };
  const many: SnapshotForwardingPolicy[] = [];
  for (let i = 0; i < 500; i++) many.push(policy("EXACT", `/exact/${i}.html`, "p"), policy("PREFIX", `/prefix/${i}/`, "p"));
  const compile = (policies: SnapshotForwardingPolicy[]) => ForwardingPolicyPhase.compile(policies, () => target)!;

  it("with 500 exact + 500 prefix policies a lookup makes a handful of Map probes, not one comparison per policy", () => {
    const phase = compile(many);
    const get = vi.spyOn(Map.prototype, "get");
    try {
      for (const path of ["/prefix/7/x/y", "/nothing/matches/here/at/all", "/exact/42.html"]) {
        get.mockClear();
        phase.run(phaseRequest(path));
        expect(get.mock.calls.length, path).toBeLessThanOrEqual(6); // 1 exact + one per distinct prefix length (9, 10, 11, 12)
      }
    } finally {
      get.mockRestore();
    }
  });

  it("a lookup among 1 000 policies costs about what it costs among one (in-process, same paths)", () => {
    const small = compile([policy("EXACT", "/exact/0.html", "p"), policy("PREFIX", "/prefix/0/", "p")]);
    const large = compile(many);
    const requests = ["/nothing/matches/here", "/prefix/499/page", "/exact/499.html", "/prefix/x"].map(phaseRequest);
    const time = (phase: ForwardingPolicyPhase) => {
      let best = Infinity;
      for (let round = 0; round < 5; round++) {
        const started = performance.now();
        for (let i = 0; i < 20_000; i++) phase.run(requests[i & 3]!);
        best = Math.min(best, performance.now() - started);
      }
      return best;
    };
    time(small);
    time(large); // warm both
    const ratio = time(large) / time(small);
    expect(ratio).toBeLessThan(10); // measured 0.6–1.8 here; a list walk over 1 000 policies is ~100× slower
  });
});

/** A backend answering its name that takes heads up to 64 KiB (node's default refuses more than 16 KiB with 431). */
async function startLongHeadBackend(name: string): Promise<HttpBackend> {
  const server = http.createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    req.resume();
    res.end(name);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { name, port, server, seen: [], connections: 0, close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

/** A PhaseRequest for GET `path` with a real parsed head (Host: www.elb.test). */
function phaseRequest(path: string): PhaseRequest {
  const head = new RequestParser({ maxHeadBytes: 64 * 1024, maxFields: 100, allowBareLf: false });
  head.execute(Buffer.from(`GET ${path} HTTP/1.1\r\nHost: www.elb.test\r\n\r\n`, "latin1"), 0);
  return { head, clientIp: "127.0.0.1", localAddress: "127.0.0.1", pool: null, sticky: null, member: null, stuck: false, errorKind: null, answer: null };
}
