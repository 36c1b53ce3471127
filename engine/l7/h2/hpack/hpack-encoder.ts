import type { OutgoingHttpHeaders } from "node:http2";

/**
 * HPACK header block encoder (RFC 7541) for one HTTP/2 connection's responses. Uses the static table
 * (a whole entry when name and value match, else its name) and literals without indexing; no dynamic
 * table, so the peer's SETTINGS_HEADER_TABLE_SIZE never matters, and no Huffman (cheaper to write).
 */
export class HpackEncoder {
  /** The last block encoded is `buf[0, length)`, valid until the next `encode` (which may replace `buf` with a larger one). */
  buf: Buffer = Buffer.allocUnsafe(4096);

  /**
   * Encodes `headers` (names lowercase; `:status` first; a number written in decimal; an array is one
   * field per element, in order; undefined values skipped) into `buf` from offset 0 and returns the
   * block's length.
   */
  encode(headers: OutgoingHttpHeaders): number {
    void headers;
    throw new Error("not built yet");
  }
}
