import { readEngineSecretKey, type EngineSecretKey } from "./secret-key";
import { TicketKeys } from "./ticket-keys";

/**
 * What every HTTPS listener of one thread shares: the secret key that opens sealed private keys, and the
 * session-ticket keys (the same in every worker thread of the engine).
 */
export interface TlsEnvironment {
  readonly secretKey: EngineSecretKey;
  readonly ticketKeys: TicketKeys;
}

/** The part of a TlsEnvironment that crosses to a worker thread (workerData: plain data). */
export interface TlsEnvironmentData {
  /** The secret key as hex; null = none (then `secretKeyProblem` says why). */
  secretKey: string | null;
  secretKeyProblem: string | null;
  /** The ticket key secret as hex (TicketKeys). */
  ticketSecret: string;
  ticketPeriodMs: number;
}

let installed: TlsEnvironment | null = null;

/**
 * Sets this thread's TLS environment (main.ts for the single-thread engine, worker-thread.ts from the
 * primary's data) before the first snapshot is applied.
 */
export function installTlsEnvironment(environment: TlsEnvironment): void {
  installed = environment;
}

/**
 * This thread's TLS environment; when none was installed, one from process.env (ELB_SECRET_KEY,
 * ELB_SECRET_KEY_FILE) with a fresh ticket secret, made once.
 */
export function tlsEnvironment(): TlsEnvironment {
  return (installed ??= { secretKey: readEngineSecretKey(), ticketKeys: new TicketKeys() });
}

/** A TLS environment as plain data for a worker thread. */
export function tlsEnvironmentData(environment: TlsEnvironment): TlsEnvironmentData {
  return {
    secretKey: environment.secretKey.key?.toString("hex") ?? null,
    secretKeyProblem: environment.secretKey.problem,
    ticketSecret: environment.ticketKeys.secret.toString("hex"),
    ticketPeriodMs: environment.ticketKeys.periodMs,
  };
}

/** The TLS environment a worker thread rebuilds from the primary's data. */
export function tlsEnvironmentFromData(data: TlsEnvironmentData): TlsEnvironment {
  return {
    secretKey: { key: data.secretKey === null ? null : Buffer.from(data.secretKey, "hex"), problem: data.secretKeyProblem },
    ticketKeys: new TicketKeys(Buffer.from(data.ticketSecret, "hex"), data.ticketPeriodMs),
  };
}
