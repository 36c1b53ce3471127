import { expect, test } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { freeListenerPort } from "../fixtures/ports";

/**
 * The console's real HTTP front (scripts/console-server.mjs → the built Next.js app), run here as a
 * second console on its own port and data folder with ELB_TRUSTED_PROXIES=127.0.0.2. Requests are sent
 * from two loopback source addresses: 127.0.0.1 is any client, 127.0.0.2 the trusted reverse proxy.
 * X-Forwarded-For / -Proto / -Host count only from the proxy, and the traces record the address
 * accordingly. Then the console is stopped, one session's expiry is set in the past in its database, and
 * after a restart that session is refused (401 for the API, redirect to the log-in page) while another is not.
 */
const PROXY = "127.0.0.2";
const PASSWORD = "front-admin-password";

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request to the console from `from` (a loopback source address), no redirects followed. */
function request(port: number, from: string, method: string, urlPath: string, headers: Record<string, string> = {}, body?: unknown): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, localAddress: from, method, path: urlPath, agent: false, timeout: 30_000, headers: { ...(payload ? { "content-type": "application/json" } : {}), ...headers } },
      (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (data += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${urlPath} timed out`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/** The session token a log-in answer sets, and the cookie's name. */
function sessionOf(reply: Reply): { name: string; token: string } {
  const cookie = [reply.headers["set-cookie"] ?? []].flat().find((c) => /^(__Host-)?elb_session=/.test(c));
  expect(cookie, `log-in answered ${reply.status} ${reply.body}`).toBeDefined();
  const [name, token] = cookie!.split(";")[0]!.split("=") as [string, string];
  return { name, token };
}

/** A console (scripts/console-server.mjs) with its own data folder; `stop()` waits for it (and its engine) to exit. */
class Console {
  private child: ChildProcess | null = null;
  private output = "";
  constructor(
    readonly port: number,
    readonly dataDir: string,
  ) {}

  async start(): Promise<void> {
    // The server itself, not scripts/start.mjs: that one may rebuild .next under the suite's running console.
    const child = spawn(process.execPath, ["scripts/console-server.mjs"], {
      cwd: process.cwd(),
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(this.port),
        ELB_DATA_DIR: this.dataDir,
        ELB_ADMIN_PASSWORD: PASSWORD,
        ELB_TRUSTED_PROXIES: PROXY,
        ELB_ENGINE_STOP_WITH_CONSOLE: "1",
        DATABASE_URL: "",
      },
    });
    this.child = child;
    child.stdout!.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    await expect
      .poll(
        async () => {
          if (child.exitCode !== null) throw new Error(`the console exited with ${child.exitCode}:\n${this.output.slice(-2000)}`);
          return (await request(this.port, "127.0.0.1", "GET", "/login").catch(() => ({ status: 0 }))).status;
        },
        { timeout: 120_000, intervals: [250, 500, 1000] },
      )
      .toBe(200);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await exited;
    // The engine is tied to the console (ELB_ENGINE_STOP_WITH_CONSOLE); make sure by its pid.
    const pidFile = path.join(this.dataDir, "engine", "engine.pid");
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    await expect.poll(() => alive(pid), { timeout: 15_000 }).toBe(false);
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test("the HTTP front believes forwarded headers only from ELB_TRUSTED_PROXIES, traces the client address, and refuses an expired session", async () => {
  test.setTimeout(300_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "elb-front-"));
  const front = new Console(await freeListenerPort(), dataDir);
  try {
    await front.start();
    const { port } = front;
    const logIn = (from: string, headers: Record<string, string>) => request(port, from, "POST", "/api/auth/login", headers, { username: "admin", password: PASSWORD });

    // Log in from a client that claims another address and HTTPS: neither is believed.
    const direct = await logIn("127.0.0.1", { "x-forwarded-for": "203.0.113.66", "x-forwarded-proto": "https" });
    expect(direct.status).toBe(200);
    const directSession = sessionOf(direct);
    expect(directSession.name).toBe("elb_session");
    // Through the trusted proxy: the proxy's chain counts (a forged first entry does not), and so does its HTTPS.
    const proxied = await logIn(PROXY, { "x-forwarded-for": "198.51.100.1, 203.0.113.9", "x-forwarded-proto": "https" });
    expect(proxied.status).toBe(200);
    expect(sessionOf(proxied).name).toBe("__Host-elb_session");
    expect([proxied.headers["set-cookie"]].flat().join("\n")).toMatch(/; Secure/);

    // A mutation whose trace records the address, by each route.
    const suffix = Date.now().toString(36);
    const createProject = (from: string, name: string, headers: Record<string, string>) =>
      request(port, from, "POST", "/api/trpc/project.create", { cookie: `${directSession.name}=${directSession.token}`, ...headers }, { json: { name } });
    expect((await createProject("127.0.0.1", `front-direct-${suffix}`, { "x-forwarded-for": "203.0.113.66" })).status).toBe(200);
    expect((await createProject(PROXY, `front-proxied-${suffix}`, { "x-forwarded-for": "203.0.113.9" })).status).toBe(200);

    // X-Forwarded-Host is the console's public name only when the proxy says it: the CSRF check compares Origin with it.
    const publicName = { origin: "http://elb.example.test", "x-forwarded-host": "elb.example.test", "x-forwarded-proto": "http" };
    const spoofed = await createProject("127.0.0.1", `front-spoofed-${suffix}`, publicName);
    expect(spoofed.status).toBe(403);
    expect(spoofed.body).toContain("Cross-site request refused");
    expect((await createProject(PROXY, `front-named-${suffix}`, { ...publicName, "x-forwarded-for": "203.0.113.9" })).status).toBe(200);

    // A second session of the same user, which stays valid.
    const other = sessionOf(await logIn("127.0.0.1", {}));
    await front.stop();

    // In the console's database (PGlite: only one process may open it, so the console is stopped).
    const { PGlite } = await import("@electric-sql/pglite");
    const pg = await PGlite.create(path.join(dataDir, "pglite"));
    try {
      const sourceOf = async (resourceName: string) =>
        (await pg.query<{ source_ip: string }>("select source_ip from traces where trace_name = 'create enterprise project' and resource_name = $1", [resourceName])).rows.map((r) => r.source_ip);
      expect(await sourceOf(`front-direct-${suffix}`)).toEqual(["127.0.0.1"]);
      expect(await sourceOf(`front-proxied-${suffix}`)).toEqual(["203.0.113.9"]);
      expect(await sourceOf(`front-named-${suffix}`)).toEqual(["203.0.113.9"]);
      expect(await sourceOf(`front-spoofed-${suffix}`)).toEqual([]);
      const logIns = (await pg.query<{ source_ip: string }>("select source_ip from traces where trace_name = 'log in' and code = '200' order by time")).rows.map((r) => r.source_ip);
      expect(logIns).toEqual(["127.0.0.1", "203.0.113.9", "127.0.0.1"]);

      // The first session expires (a minute ago); the other one is untouched.
      const expired = await pg.query("update sessions set expires_at = now() - interval '1 minute' where id = $1", [createHash("sha256").update(directSession.token).digest("hex")]);
      expect(expired.affectedRows).toBe(1);
    } finally {
      await pg.close();
    }

    await front.start();
    const asSession = (session: { name: string; token: string }) => ({ cookie: `${session.name}=${session.token}` });
    const listInput = encodeURIComponent(JSON.stringify({ json: {} }));
    // The API refuses the expired session ...
    const refused = await request(port, "127.0.0.1", "GET", `/api/trpc/loadBalancer.list?input=${listInput}`, asSession(directSession));
    expect(refused.status).toBe(401);
    expect(refused.body).toContain("Sign in first");
    // ... and a console page sends it to the log-in page.
    const page = await request(port, "127.0.0.1", "GET", "/load-balancers", asSession(directSession));
    expect([302, 303, 307, 308]).toContain(page.status);
    expect(page.headers.location).toMatch(/\/login(\?|$)/);
    // The unexpired session still works after the restart: the refusal is the expiry, not the restart.
    expect((await request(port, "127.0.0.1", "GET", `/api/trpc/loadBalancer.list?input=${listInput}`, asSession(other))).status).toBe(200);
    expect((await request(port, "127.0.0.1", "GET", "/load-balancers", asSession(other))).status).toBe(200);
  } finally {
    await front.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
