import path from "node:path";
import { build } from "esbuild";

/**
 * A small program around engine/io/transparent-socket.ts, bundled as the engine is (addon copied beside
 * it), for running in another network namespace or without privileges. Argument: one JSON object
 * `{ "mode": "tcp" | "udp", "source", "host", "port", "timeoutMs" }`. It connects (TCP) or sends one
 * datagram (UDP) from `source` and prints one JSON line: `{ ok: true, answer, local }` with the backend's
 * first line, or `{ ok: false, code, message }` (the socket's error, UDP's 300 ms later; or code "ETIMEDOUT" from its own
 * deadline).
 */
const PROBE = `
import { connectTransparent, openTransparentUdpSocket } from "./transparent-socket";
const { mode, source, host, port, timeoutMs } = JSON.parse(process.argv[2]);
const done = (result) => { process.stdout.write(JSON.stringify(result) + "\\n", () => process.exit(0)); };
setTimeout(() => done({ ok: false, code: "ETIMEDOUT", message: "no answer from " + host + ":" + port + " within " + timeoutMs + " ms" }), timeoutMs);
if (mode === "tcp") {
  const socket = connectTransparent({ sourceAddress: source, host, port });
  let answer = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk) => { answer += chunk; if (answer.includes("\\n")) done({ ok: true, answer: answer.trim(), local: socket.localAddress }); });
  socket.on("error", (err) => done({ ok: false, code: err.code, message: err.message }));
} else {
  const socket = openTransparentUdpSocket(source);
  // Reported after 300 ms: a datagram that would leave from another address meanwhile reaches the backend.
  socket.on("error", (err) => setTimeout(() => done({ ok: false, code: err.code, message: err.message }), 300));
  socket.on("message", (message) => done({ ok: true, answer: String(message).trim(), local: socket.address().address }));
  socket.connect(port, host, () => socket.send("hello"));
}
`;

/** Bundles the probe into `dir` (probe.mjs + the addon) and returns the entry's path. */
export async function bundleTransparentProbe(dir: string): Promise<string> {
  const outfile = path.join(dir, "probe.mjs");
  await build({
    stdin: { contents: PROBE, resolveDir: path.resolve(import.meta.dirname, "..", "io"), loader: "ts" },
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    banner: { js: "import { createRequire as __elbCreateRequire } from 'node:module'; const require = __elbCreateRequire(import.meta.url);" },
    loader: { ".node": "copy" },
    assetNames: "[name]",
    logLevel: "warning",
  });
  return outfile;
}

/** What the probe printed. */
export type ProbeResult = { ok: true; answer: string; local: string } | { ok: false; code: string; message: string };
