import { readFileSync } from "node:fs";
import { parseSecretKey } from "../protocol/sealed-secret";

/**
 * The engine's secret key: what opens the certificates' sealed private keys. `key` is null when none is
 * configured or it could not be read; `problem` then says why, in the words a listener error repeats.
 */
export interface EngineSecretKey {
  readonly key: Buffer | null;
  readonly problem: string | null;
}

/**
 * Reads the secret key from `ELB_SECRET_KEY` (64 hex digits or base64 of 32 bytes), else from the file
 * named by `ELB_SECRET_KEY_FILE` (the console's generated key file). Never throws: an engine without a
 * usable key still serves every listener but the HTTPS ones, each of which reports the problem.
 */
export function readEngineSecretKey(env: NodeJS.ProcessEnv = process.env): EngineSecretKey {
  const inline = env.ELB_SECRET_KEY?.trim() ?? "";
  if (inline !== "") return parsed(() => inline, "ELB_SECRET_KEY");
  const file = env.ELB_SECRET_KEY_FILE?.trim() ?? "";
  if (file !== "") return parsed(() => readFileSync(file, "utf8"), `ELB_SECRET_KEY_FILE ${file}`);
  return { key: null, problem: "no secret key: set ELB_SECRET_KEY or ELB_SECRET_KEY_FILE (the console passes its own)" };
}

function parsed(read: () => string, source: string): EngineSecretKey {
  try {
    return { key: parseSecretKey(read()), problem: null };
  } catch (err) {
    return { key: null, problem: `${source}: ${(err as Error).message}` };
  }
}
