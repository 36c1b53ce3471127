import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { freePort } from "./backends";
import { startPeerProcess } from "./peer-process";

/** Debian's nginx (installed by `npm test` when missing). */
export const NGINX = "/usr/sbin/nginx";

/** An nginx process started by a test: its port, and stop() by its PID. */
export interface NginxPeer {
  port: number;
  stop(): Promise<void>;
}

/** How `startNginx` listens. */
export interface NginxListenOptions {
  /** The port on 127.0.0.1; default a free one. */
  port?: number;
  /** Parameters of the `listen` directive after the address, e.g. `proxy_protocol`. */
  listenParameters?: string;
  /** How long it may take to accept, in ms; default 5000. */
  startTimeoutMs?: number;
}

/**
 * Starts one foreground nginx process (no master, one worker, pid, logs and temp files in `dir`) whose
 * `server` block listens on 127.0.0.1:<port> and holds `serverBody` (directives and locations); resolves
 * once it accepts (polled every 50 ms). stop() sends SIGTERM to its PID and waits (SIGKILL after 3 s).
 */
export async function startNginx(dir: string, serverBody: string, options: NginxListenOptions = {}): Promise<NginxPeer> {
  mkdirSync(dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const listen = options.listenParameters ? `127.0.0.1:${port} ${options.listenParameters}` : `127.0.0.1:${port}`;
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
    listen ${listen};
    ${serverBody}
  }
}
`,
  );
  const args = ["-e", path.join(dir, "error.log"), "-p", dir, "-c", conf];
  const peer = await startPeerProcess("nginx", NGINX, args, [{ host: "127.0.0.1", port }], options.startTimeoutMs);
  return { port, stop: () => peer.stop() };
}
