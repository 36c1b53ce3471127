import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { freePort } from "../../test-support/backends";

/** Debian's nginx (installed by `npm test` when missing). */
export const NGINX = "/usr/sbin/nginx";

/** An nginx process started by a test: its port, and stop() by its PID. */
export interface NginxPeer {
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts one foreground nginx process (no master, one worker) in `dir` whose `server` block listens on
 * 127.0.0.1:<free port> and holds `serverBody` (directives and locations); resolves once it accepts
 * (polled every 50 ms, 5 s at most). stop() sends SIGTERM to its PID and waits (SIGKILL after 3 s).
 */
export async function startNginx(dir: string, serverBody: string): Promise<NginxPeer> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const conf = path.join(dir, "nginx.conf");
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
  writeFileSync(
    conf,
    `daemon off;
master_process off;
worker_processes 1;
pid ${path.join(dir, "nginx.pid")};
error_log ${path.join(dir, "error.log")} warn;
events { worker_connections 64; }
http {
  access_log off;
  ${["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(temp).join("\n  ")}
  server {
    listen 127.0.0.1:${port};
    ${serverBody}
  }
}
`,
  );
  const child = spawn(NGINX, ["-e", path.join(dir, "error.log"), "-p", dir, "-c", conf], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    process.kill(child.pid!, "SIGTERM");
    const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(child.pid!, "SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 5000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${output}`);
    if (await accepts(port)) return { port, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx not listening on ${port} after 5 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Something accepts on 127.0.0.1:port (answer within 500 ms). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const timer = setTimeout(() => finish(false), 500);
    function finish(ok: boolean): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    }
    socket.once("connect", () => finish(true));
    socket.once("error", () => finish(false));
  });
}
