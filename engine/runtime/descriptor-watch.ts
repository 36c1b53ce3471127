import { closeSync, openSync } from "node:fs";
import { devNull } from "node:os";
import { isDescriptorExhaustion } from "../observe/descriptor-limit";

/** Default period of the descriptor check: once a second (two system calls). */
export const DEFAULT_DESCRIPTOR_CHECK_MS = 1_000;

/**
 * Notices the process at its descriptor limit. A listening socket never reports it: when accept()
 * fails with EMFILE/ENFILE, libuv frees a descriptor it keeps in reserve, accepts the pending
 * connections and closes them at once (so the listen queue does not spin), and the 'error' event a
 * Node server would emit is never raised. The engine therefore checks every `periodMs` that it can
 * still open one descriptor (os.devNull, closed at once); when it cannot, `onExhausted` gets the error
 * (EMFILE/ENFILE). Backend connects, UDP sessions and the rare accept error that does surface report
 * themselves (observe/descriptor-limit.ts). The timer is unref'd.
 */
export class DescriptorWatch {
  private readonly timer: NodeJS.Timeout | null;

  constructor(
    private readonly onExhausted: (err: NodeJS.ErrnoException) => void,
    /** Check period in ms; 0 = never. */
    periodMs = DEFAULT_DESCRIPTOR_CHECK_MS,
  ) {
    this.timer = periodMs > 0 ? setInterval(this.check, periodMs) : null;
    this.timer?.unref();
  }

  /** One check: false (and `onExhausted` called) when no descriptor can be opened now. */
  readonly check = (): boolean => {
    try {
      closeSync(openSync(devNull, "r"));
      return true;
    } catch (err) {
      if (!isDescriptorExhaustion(err)) return true; // not a descriptor shortage (no /dev/null?): nothing to say
      this.onExhausted(err as NodeJS.ErrnoException);
      return false;
    }
  };

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
  }
}
