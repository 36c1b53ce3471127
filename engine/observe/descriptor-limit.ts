import type { ConnectionContext } from "../observe/observer.types";

/** True for the errors of a process (EMFILE) or a system (ENFILE) out of file descriptors. */
export function isDescriptorExhaustion(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === "EMFILE" || code === "ENFILE";
}

/** Default window of DescriptorLimitLog: one line at the first failure, then at most one summary per 5 s. */
export const DESCRIPTOR_LOG_WINDOW_MS = 5_000;

/**
 * Rate-limited log of descriptor exhaustion. Running out of descriptors fails every accept, backend
 * connect and health check at once (thousands a second under load), so the first failure is logged at
 * once and the rest are counted: while they go on, one summary line per window gives their number and
 * where they happened ("accept", "connect", "limit check", …). The window ends by itself once a whole
 * window passed without a failure. The timer is unref'd: it never keeps the process alive.
 */
export class DescriptorLimitLog {
  private timer: NodeJS.Timeout | null = null;
  private readonly counts = new Map<string, number>();
  private lastCode = "";

  constructor(
    /** Where lines go; default the engine's stderr. */
    private readonly write: (line: string) => void = (line) => void process.stderr.write(`[engine] ${line}\n`),
    private readonly windowMs = DESCRIPTOR_LOG_WINDOW_MS,
  ) {}

  /** Records one failure; `where` names the operation (a category: "accept", "connect", …) and `detail` the address. */
  record(err: NodeJS.ErrnoException, where: string, detail = ""): void {
    this.lastCode = err.code ?? "EMFILE";
    if (this.timer === null) {
      this.write(
        `descriptor limit reached (${this.lastCode}) at ${where}${detail === "" ? "" : ` ${detail}`}: new connections are dropped until descriptors free up; ` +
          `raise the limit (ulimit -n, systemd LimitNOFILE). Further failures are counted, one line per ${this.windowMs / 1000} s`,
      );
      this.arm();
      return;
    }
    this.counts.set(where, (this.counts.get(where) ?? 0) + 1);
  }

  /** Stops the window timer (tests; a process exit needs nothing). */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.counts.clear();
  }

  private arm(): void {
    this.timer = setTimeout(this.flush, this.windowMs);
    this.timer.unref();
  }

  private readonly flush = (): void => {
    if (this.counts.size === 0) {
      this.timer = null; // a quiet window: the next failure is logged at once again
      return;
    }
    let total = 0;
    const parts: string[] = [];
    for (const [where, n] of this.counts) {
      total += n;
      parts.push(`${where} ${n}`);
    }
    this.counts.clear();
    this.write(`descriptor limit (${this.lastCode}): ${total} more failure${total === 1 ? "" : "s"} in the last ${this.windowMs / 1000} s (${parts.join(", ")})`);
    this.arm();
  };
}

/** The process's log (the descriptor limit is per process, so is its log). */
export const descriptorLimitLog = new DescriptorLimitLog();

/**
 * Reports a descriptor exhaustion: one `internal` error event to the connection's observer (metrics,
 * access logs) and one count in the process's rate-limited log.
 */
export function reportDescriptorExhaustion(context: ConnectionContext, err: NodeJS.ErrnoException, where: string, detail = "", log = descriptorLimitLog): void {
  context.observer.error(context, "internal", err);
  log.record(err, where, detail);
}
