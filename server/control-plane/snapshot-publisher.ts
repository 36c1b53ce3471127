import "server-only";
import type { Snapshot } from "@/engine/protocol/snapshot.types";
import type { ConfigDiagnostic } from "./compile/diagnostic";

/** Options of the snapshot publisher. */
export interface SnapshotPublisherOptions {
  /** Compiles the next snapshot from the database (`buildNextSnapshot`). */
  build(): Promise<{ snapshot: Snapshot; diagnostics: ConfigDiagnostic[] }>;
  /** Hands a snapshot to the engine (`EngineSupervisor.publish`). */
  send(snapshot: Snapshot): void;
  /** How long change signals are gathered into one publish. Default 100 ms. */
  delayMs?: number;
  /** A publish started by a change signal failed. Default: logged to stderr. */
  onError?(error: unknown): void;
}

/** Compiles and sends snapshots: now, or coalesced after configuration changes. */
export interface SnapshotPublisher {
  /**
   * Compiles and sends a snapshot now; resolves with the version sent. Called while a publish runs, it
   * joins that run, which then compiles once more so the caller's change is in the result.
   */
  publishNow(): Promise<number>;
  /** A committed change: publishes within `delayMs`; every signal in that window shares one publish. */
  configChanged(): void;
  /** Diagnostics of the last compiled snapshot; empty before the first. */
  diagnostics(): readonly ConfigDiagnostic[];
}

/** Creates the publisher of one control plane. */
export function createSnapshotPublisher(options: SnapshotPublisherOptions): SnapshotPublisher {
  const delayMs = options.delayMs ?? 100;
  const onError = options.onError ?? ((error: unknown) => console.error("[elb] snapshot publish failed", error));
  let diagnostics: readonly ConfigDiagnostic[] = [];
  let pending: Promise<number> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  const publishNow = (): Promise<number> => {
    if (pending) {
      again = true;
      return pending;
    }
    pending = (async () => {
      let version = 0;
      do {
        again = false;
        const built = await options.build();
        diagnostics = built.diagnostics;
        options.send(built.snapshot);
        version = built.snapshot.version;
      } while (again);
      return version;
    })().finally(() => {
      pending = null;
    });
    return pending;
  };

  const configChanged = () => {
    timer ??= setTimeout(() => {
      timer = null;
      publishNow().catch(onError);
    }, delayMs);
  };

  return { publishNow, configChanged, diagnostics: () => diagnostics };
}
