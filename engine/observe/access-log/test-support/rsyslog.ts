import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import { freePort } from "../../../test-support/backends";

/** Debian's rsyslog daemon (npm test installs it when missing). */
export const RSYSLOGD = "/usr/sbin/rsyslogd";

/** Why rsyslog tests cannot run here; null = they can. */
export function rsyslogMissing(): string | null {
  return existsSync(RSYSLOGD) ? null : `${RSYSLOGD} is not installed (apt-get install rsyslog)`;
}

/** A private rsyslogd on loopback: UDP and TCP inputs, every message's MSG written as one line to `outFile`. */
export interface Rsyslog {
  udpPort: number;
  tcpPort: number;
  outFile: string;
  /** The lines received so far. */
  lines(): Promise<string[]>;
  /**
   * The messages received so far as rsyslog's RFC 5424 parser read their header: PRI, VERSION,
   * TIMESTAMP (RFC 3339), HOSTNAME, APP-NAME, PROCID, MSGID and STRUCTURED-DATA, then MSG.
   */
  headers(): Promise<SyslogHeader[]>;
  /** Waits until at least `count` lines arrived (bounded). */
  waitForLines(count: number, timeoutMs?: number): Promise<string[]>;
  stop(): Promise<void>;
}

/** One received message's header fields as rsyslog parsed them (its properties of the same names). */
export interface SyslogHeader {
  pri: string;
  protocolVersion: string;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  structuredData: string;
  msg: string;
}

/** Separates the header properties in the second output (never in a header, nor in an escaped record). */
const TAB = "\t";

/**
 * Starts rsyslogd in the foreground (-n) with its own config (-f) and pid file (-i): imudp and imtcp on
 * 127.0.0.1 ports chosen free, no imuxsock (no system socket, nothing of the machine's logs), an omfile
 * action with a template that keeps only the message ("%msg%\n"). Stopped by its PID.
 */
export async function startRsyslog(): Promise<Rsyslog> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "elb-rsyslog-"));
  const [udpPort, tcpPort] = [await freePort(), await freePort()];
  const outFile = path.join(dir, "received.log");
  const headerFile = path.join(dir, "headers.log");
  const headerProperties = ["pri", "protocol-version", "timereported:::date-rfc3339", "hostname", "app-name", "procid", "msgid", "structured-data", "msg"];
  const config = [
    `global(workDirectory="${dir}" maxMessageSize="64k")`,
    `module(load="imudp")`,
    `module(load="imtcp")`,
    `input(type="imudp" address="127.0.0.1" port="${udpPort}")`,
    `input(type="imtcp" address="127.0.0.1" port="${tcpPort}")`,
    `template(name="msgonly" type="string" string="%msg%\\n")`,
    `action(type="omfile" file="${outFile}" template="msgonly" flushOnTXEnd="on" asyncWriting="off")`,
    `template(name="header" type="string" string="${headerProperties.map((p) => `%${p}%`).join("\\t")}\\n")`,
    `action(type="omfile" file="${headerFile}" template="header" flushOnTXEnd="on" asyncWriting="off")`,
    "",
  ].join("\n");
  const configFile = path.join(dir, "rsyslog.conf");
  await writeFile(configFile, config);
  const child: ChildProcess = spawn(RSYSLOGD, ["-n", "-f", configFile, "-i", path.join(dir, "rsyslogd.pid")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Ready once its TCP input accepts.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(tcpPort, "127.0.0.1", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`rsyslogd did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const lines = async () => (await readFile(outFile, "latin1").catch(() => "")).split("\n").filter((l) => l !== "");
  return {
    udpPort,
    tcpPort,
    outFile,
    lines,
    async headers() {
      const text = await readFile(headerFile, "latin1").catch(() => "");
      return text
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => {
          const [pri, protocolVersion, timestamp, hostname, appName, procId, msgId, structuredData, ...msg] = l.split(TAB);
          return { pri: pri!, protocolVersion: protocolVersion!, timestamp: timestamp!, hostname: hostname!, appName: appName!, procId: procId!, msgId: msgId!, structuredData: structuredData!, msg: msg.join(TAB) };
        });
    },
    async waitForLines(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const got = await lines();
        if (got.length >= count) return got;
        if (Date.now() > until) throw new Error(`rsyslog received ${got.length} of ${count} lines`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
      await rm(dir, { recursive: true, force: true });
    },
  };
}
