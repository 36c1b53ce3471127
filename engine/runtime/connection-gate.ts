/** Default of EngineRuntimeOptions.maxConnections: open client connections (TCP and HTTP, all listeners). */
export const DEFAULT_MAX_CONNECTIONS = 100_000;

/** The cause an observer gets with the `internal` error of a connection refused at the cap (one shared object). */
export const CONNECTION_LIMIT_REACHED: Error = Object.assign(new Error("engine connection limit reached: connection closed at accept"), {
  code: "ELB_CONNECTION_LIMIT",
});

/**
 * The engine-wide cap on open client connections of its stream listeners (TCP and HTTP), checked on
 * every accept before a handler sees the socket: at the cap a new connection is closed at once and
 * reported to the observer (StreamBinding). One gate is shared by every listener of a runtime; the
 * count lives in an Int32Array so that worker threads can share one gate through a SharedArrayBuffer
 * (`counter`). Each admitted socket gets the gate's one `leave` function as a 'close' listener (no
 * closure per connection). With `ownSlot`, the thread's own connections are also counted in that element,
 * so when the thread dies (its connections with it) the primary can take them off the total
 * (`releaseSlot`).
 */
export class ConnectionGate {
  /** Runs once per admitted socket, on its 'close'. */
  readonly leave = (): void => {
    Atomics.sub(this.counter, 0, 1);
    if (this.ownSlot > 0) Atomics.sub(this.counter, this.ownSlot, 1);
  };

  constructor(
    /** Connections allowed open at once; 0 or less = no cap. */
    readonly max: number = DEFAULT_MAX_CONNECTIONS,
    /** The count, in element 0 (pass one over a SharedArrayBuffer to share it between threads). */
    private readonly counter: Int32Array = new Int32Array(1),
    /** This thread's own count in `counter` (≥ 1), or 0 for none. */
    private readonly ownSlot = 0,
  ) {}

  /** Takes a dead thread's connections (its `ownSlot` count) off the total of a shared `counter`. */
  static releaseSlot(counter: Int32Array, slot: number): void {
    Atomics.sub(counter, 0, Atomics.exchange(counter, slot, 0));
  }

  /** Connections admitted and not yet closed. */
  get open(): number {
    return Atomics.load(this.counter, 0);
  }

  /** Admits one connection (true; the caller then calls `leave` once when it closes) or refuses it at the cap. */
  enter(): boolean {
    const before = Atomics.add(this.counter, 0, 1);
    if (this.max > 0 && before >= this.max) {
      Atomics.sub(this.counter, 0, 1);
      return false;
    }
    if (this.ownSlot > 0) Atomics.add(this.counter, this.ownSlot, 1);
    return true;
  }
}

/** The gate of bindings built without one (one per thread): the default cap. */
export const DEFAULT_CONNECTION_GATE = new ConnectionGate();
