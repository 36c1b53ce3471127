/**
 * HPACK header block decoder (RFC 7541) for one HTTP/2 connection's requests: static table, dynamic
 * table with size updates, integer and string literals, Huffman-coded strings. One decoder per
 * connection (its dynamic table is the connection's state); names and values come out as latin1
 * strings (one char per octet), as node:http2 gave them.
 */
export class HpackDecoder {
  /** `maxTableSize`: SETTINGS_HEADER_TABLE_SIZE we announced (default 4096): a size update above it is a compression error. */
  constructor(maxTableSize = 4096) {
    void maxTableSize;
  }

  /**
   * Decodes one complete header block `buf[start, end)`, appending `name, value, name, value, …` to
   * `out`. Returns the header list size (RFC 7541 §4.1: Σ name + value + 32 over the fields), or -1 on a
   * compression error (the connection must then end with GOAWAY COMPRESSION_ERROR). A block is always
   * decoded whole, even past any limit of the caller's, so the dynamic table stays in step with the peer's.
   */
  decode(buf: Buffer, start: number, end: number, out: string[]): number {
    void buf;
    void start;
    void end;
    void out;
    throw new Error("not built yet");
  }
}
