import type { Bandwidth } from "../limits/bandwidth.types";
import { copyOf } from "./bytes";

/** Who a ShapedWriter holds bytes for: the side that relays them and the source it pauses. */
export interface ShapedTarget {
  /** Bytes the shaper held back, now due (a private copy). */
  deliverHeld(bytes: Buffer): void;
  /** A hold began: stop reading the source until `holdReleased`. */
  pauseSource(): void;
  /** The hold ended after its bytes were delivered: resume the source unless something else still pauses it. */
  holdReleased(): void;
}

/** Timer callback of a hold (module level: no closure per connection or per chunk). */
function release(writer: ShapedWriter): void {
  writer.release();
}

/**
 * Bandwidth shaping of one direction of one connection (an EIP's limit on what is sent to clients),
 * shared by the TCP and HTTP handlers. Every chunk debits the address's token bucket; while the
 * bucket is in debt (or bytes are already held) a private copy of the chunk is held and the source
 * paused; a timer delivers the held bytes once the debt is paid, then lets the source resume.
 * Built only for connections on a limited address: the others pay one null check per chunk.
 */
export class ShapedWriter {
  private held: Buffer | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly bucket: Bandwidth,
    private readonly target: ShapedTarget,
  ) {}

  /** Bytes are held back right now. */
  get holding(): boolean {
    return this.held !== null;
  }

  /**
   * Debits buf[0, n) from the bucket. True = the caller passes the bytes on now; false = a copy is
   * held (the source is paused) and will reach `deliverHeld` later.
   */
  pass(buf: Buffer, n: number): boolean {
    const wait = this.bucket.take(n);
    if (wait === 0 && this.held === null) return true;
    const copy = copyOf(buf, 0, n);
    this.held = this.held === null ? copy : Buffer.concat([this.held, copy]); // read before the pause took effect
    this.target.pauseSource();
    this.timer ??= setTimeout(release, wait > 0 ? wait : 1, this);
    return false;
  }

  /** Timer: delivers the held bytes, then tells the target the hold is over. */
  release(): void {
    this.timer = null;
    if (this.flush()) this.target.holdReleased();
  }

  /** Delivers held bytes now (the source ended or failed behind them); false when nothing was held. */
  flush(): boolean {
    const held = this.held;
    if (held === null) return false;
    this.drop();
    this.target.deliverHeld(held);
    return true;
  }

  /** Forgets held bytes (the connection is gone). */
  drop(): void {
    this.held = null;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
