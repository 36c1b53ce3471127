import { execFile, fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { EngineToConsole } from "../protocol/ipc.types";
import { waitFor } from "./backends";

/** The engine as a black box: the bundled process, driven over IPC the way the console's supervisor does. */

const root = path.resolve(import.meta.dirname, "..", "..");

/**
 * Bundles engine/main.ts to `outfile` (with the addon copied beside it), as `npm run build` does; `label`
 * (a banner comment) makes a rebuild of the same sources differ, as a new build would.
 */
export async function buildEngine(outfile: string, label?: string): Promise<void> {
  const env = { ...process.env, ELB_ENGINE_BUILD_LABEL: label ?? "" };
  await promisify(execFile)(process.execPath, [path.join(root, "scripts", "build-engine.mjs"), outfile], { env });
}

/** A forked engine and what it said. */
export interface EngineProcess {
  child: ChildProcess;
  messages: EngineToConsole[];
  /** The first message of `type` matching `match` (already received or within 5 s). */
  next<T extends EngineToConsole["type"]>(type: T, match?: (m: Extract<EngineToConsole, { type: T }>) => boolean): Promise<Extract<EngineToConsole, { type: T }>>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Forks the bundle `entry` with an IPC channel and `env`; `children` collects it for the caller's cleanup. */
export function startEngine(entry: string, env: Record<string, string>, children: ChildProcess[]): EngineProcess {
  const child = fork(entry, [], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe", "ipc"], serialization: "json" });
  children.push(child);
  const messages: EngineToConsole[] = [];
  child.on("message", (m: EngineToConsole) => messages.push(m));
  const next = async <T extends EngineToConsole["type"]>(type: T, match: (m: Extract<EngineToConsole, { type: T }>) => boolean = () => true) => {
    let found: Extract<EngineToConsole, { type: T }> | undefined;
    await waitFor(() => (found = messages.find((m): m is Extract<EngineToConsole, { type: T }> => m.type === type && match(m as never))) !== undefined, 5000, type);
    return found!;
  };
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, messages, next, exited };
}
