/**
 * The buffer every socket of one kind reads into (net's `onread`, io/socket-reader.ts `readInto`), and
 * the chunk a read hands on: the view of its first `nread` bytes is made once per size up to
 * `VIEW_CACHE_BYTES` and reused by every later read of that size, instead of a new `subarray` per read
 * (~100 ns and an allocation, twice per proxied request). A chunk is valid only during the read's call,
 * as its bytes are: whoever keeps bytes copies them, and nobody keeps the chunk object.
 */
export class SharedReadBuffer {
  readonly buf: Buffer;
  /** views[n] = buf[0, n), made at the first read of n bytes. */
  private readonly views: (Buffer | null)[];

  constructor(bytes: number) {
    this.buf = Buffer.allocUnsafe(bytes);
    this.views = new Array<Buffer | null>(Math.min(bytes, VIEW_CACHE_BYTES) + 1).fill(null);
  }

  /**
   * The `nread` bytes a read callback got in `buf`: a kept view when `buf` is this buffer, `buf`
   * itself when it is a whole chunk of its own (a 'data' event: TLS, or Node without user buffers).
   */
  chunk(nread: number, buf: Buffer): Buffer {
    if (buf !== this.buf) return nread === buf.length ? buf : buf.subarray(0, nread);
    if (nread >= this.views.length) return buf.subarray(0, nread);
    let view = this.views[nread]!;
    if (view === null) this.views[nread] = view = buf.subarray(0, nread);
    return view;
  }
}

/** Reads up to this size get kept views (at most this many views per buffer: ~2 MiB in the worst case). */
export const VIEW_CACHE_BYTES = 16 * 1024;
