import { describe, expect, it } from "vitest";
import { freePort } from "./backends";
import { startPeerProcess } from "./peer-process";

/** The peer-process starter the nginx/HAProxy tests use, driven with small node processes. */

/** Node code that prints its pid, listens on 127.0.0.1:port after `delayMs`, and exits by itself after 10 s whatever happens. */
const listenLater = (port: number, delayMs: number) =>
  `console.log(process.pid); setTimeout(() => process.exit(0), 10000); setTimeout(() => require("net").createServer().listen(${port}, "127.0.0.1"), ${delayMs});`;

/** True while a process with this pid exists. */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("startPeerProcess", () => {
  it("resolves only once the process accepts, and stop() ends it by its PID", async () => {
    const port = await freePort();
    const started = Date.now();
    const peer = await startPeerProcess("late listener", process.execPath, ["-e", listenLater(port, 300)], [{ host: "127.0.0.1", port }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    const pid = Number(peer.output().trim());
    expect(exists(pid)).toBe(true);
    await peer.stop();
    expect(exists(pid)).toBe(false);
    await peer.stop(); // a second stop is a no-op
  });

  it("rejects with the process's output when it exits before listening", async () => {
    const port = await freePort();
    const start = startPeerProcess("quitter", process.execPath, ["-e", `console.error("bad config line 3"); process.exit(2)`], [{ host: "127.0.0.1", port }]);
    await expect(start).rejects.toThrow(/^quitter exited with 2: bad config line 3/);
  });

  it("rejects after the timeout and stops a process that never listens", async () => {
    const port = await freePort();
    const start = startPeerProcess("silent", process.execPath, ["-e", listenLater(port, 60_000)], [{ host: "127.0.0.1", port }], 400);
    const error = await start.then(() => new Error("started"), (err: Error) => err);
    expect(error.message).toMatch(new RegExp(`^silent not listening on 127.0.0.1:${port} after 400 ms: \\d+`));
    const pid = Number(/ms: (\d+)/.exec(error.message)![1]);
    expect(exists(pid)).toBe(false);
  });
});
