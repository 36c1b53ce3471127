/** Byte helpers for bytes read into shared buffers: latin1 slices and private copies. */

type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };

/** The bytes [start, end) as a latin1 string (Node's internal fast path; toString does extra checks). */
export function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as Latin1Buffer).latin1Slice(start, end);
}

/**
 * Chunks up to this size are copied as latin1 strings: Node writes a string from a stack copy, cheaper
 * than allocating a Buffer; larger ones are copied into a Buffer.
 */
export const STRING_COPY_BYTES = 16 * 1024;

/** A private copy of buf[start, end) for a socket write with encoding "latin1": a string when small, else a Buffer. */
export function writableCopy(buf: Buffer, start: number, end: number): string | Buffer {
  return end - start <= STRING_COPY_BYTES ? latin1(buf, start, end) : copyOf(buf, start, end);
}

/** A private copy of buf[start, end) (reads land in shared buffers that the next read overwrites). */

export function copyOf(buf: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  buf.copy(out, 0, start, end);
  return out;
}
