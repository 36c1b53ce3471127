/** Byte helpers for bytes read into shared buffers: latin1 slices and private copies. */

type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };

/** The bytes [start, end) as a latin1 string (Node's internal fast path; toString does extra checks). */
export function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as Latin1Buffer).latin1Slice(start, end);
}

/** A private copy of buf[start, end) (reads land in shared buffers that the next read overwrites). */
export function copyOf(buf: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  buf.copy(out, 0, start, end);
  return out;
}
