import { latin1 } from "../../../io/bytes";
import { DynamicTable } from "./dynamic-table";
import { huffmanDecode } from "./huffman-decoder";
import { STATIC_NAMES, STATIC_TABLE_LENGTH, STATIC_VALUES } from "./static-table";

/** Largest integer accepted (§5.1 leaves the limit to the implementation): 2^31 - 1. */
const MAX_INTEGER = 0x7fffffff;
/** Continuation octets after a full prefix: 5 carry 35 bits, more than MAX_INTEGER needs. */
const MAX_CONTINUATION_OCTETS = 5;

/**
 * HPACK header block decoder (RFC 7541) for one HTTP/2 connection's requests: static table, dynamic
 * table with size updates, integer and string literals, Huffman-coded strings. One decoder per
 * connection (its dynamic table is the connection's state); names and values come out as latin1
 * strings (one char per octet), as node:http2 gave them.
 */
export class HpackDecoder {
  /** The connection's dynamic table (exposed for inspection: tests, diagnostics). */
  readonly table: DynamicTable;
  /** SETTINGS_HEADER_TABLE_SIZE as announced: the ceiling of every size update. */
  private readonly maxTableSize: number;
  /** Read position inside the block being decoded (the integer and string readers advance it). */
  private pos = 0;

  /** `maxTableSize`: SETTINGS_HEADER_TABLE_SIZE we announced (default 4096): a size update above it is a compression error. */
  constructor(maxTableSize = 4096) {
    this.maxTableSize = maxTableSize;
    this.table = new DynamicTable(maxTableSize);
  }

  /**
   * Decodes one complete header block `buf[start, end)`, appending `name, value, name, value, …` to
   * `out`. Returns the header list size (RFC 7541 §4.1: Σ name + value + 32 over the fields), or -1 on a
   * compression error (the connection must then end with GOAWAY COMPRESSION_ERROR). A block is always
   * decoded whole, even past any limit of the caller's, so the dynamic table stays in step with the peer's.
   * After an error `out` may hold some of the block's fields and the table is out of step: drop both.
   *
   * `maxEntries` caps what is appended: once `out` holds that many entries (2 per field) the rest of the
   * block is still decoded (table and size as above) but no longer collected, so a block of 80 KiB of
   * one-octet indexed fields cannot build a 160 000-entry array. A caller refusing lists past N fields
   * passes 2 N + 2 and sees `out.length > 2 N`.
   */
  decode(buf: Buffer, start: number, end: number, out: string[], maxEntries = MAX_INTEGER): number {
    const table = this.table;
    let listSize = 0;
    let fieldSeen = false;
    this.pos = start;
    while (this.pos < end) {
      const first = buf[this.pos]!;
      if (first >= 0x80) {
        // §6.1 indexed field: 1xxxxxxx. The common case (index < 127) is one octet.
        let index = first & 0x7f;
        if (index !== 0x7f) this.pos++;
        else if ((index = this.readInteger(buf, end, 0x7f)) < 0) return -1;
        let name: string;
        let value: string;
        if (index === 0) return -1;
        if (index <= STATIC_TABLE_LENGTH) {
          name = STATIC_NAMES[index]!;
          value = STATIC_VALUES[index]!;
        } else {
          const dynamicIndex = index - STATIC_TABLE_LENGTH;
          if (dynamicIndex > table.count) return -1;
          name = table.nameAt(dynamicIndex);
          value = table.valueAt(dynamicIndex);
        }
        if (out.length < maxEntries) out.push(name, value);
        listSize += name.length + value.length + 32;
        fieldSeen = true;
      } else if (first >= 0x40) {
        // §6.2.1 literal with incremental indexing: 01xxxxxx, 6-bit name index.
        const size = this.literal(buf, end, 0x3f, true, out.length < maxEntries ? out : null);
        if (size < 0) return -1;
        listSize += size;
        fieldSeen = true;
      } else if (first >= 0x20) {
        // §6.3 dynamic table size update: 001xxxxx, only before the block's first field (§4.2).
        if (fieldSeen) return -1;
        const limit = this.readInteger(buf, end, 0x1f);
        if (limit < 0 || limit > this.maxTableSize) return -1;
        table.setLimit(limit);
      } else {
        // §6.2.2 without indexing (0000xxxx) and §6.2.3 never indexed (0001xxxx): 4-bit name index.
        const size = this.literal(buf, end, 0x0f, false, out.length < maxEntries ? out : null);
        if (size < 0) return -1;
        listSize += size;
        fieldSeen = true;
      }
    }
    return listSize;
  }

  /** A literal field (§6.2) at `pos`: name index under `prefixMask` (0 = literal name), then the value, appended to `out` unless null (past the cap). Returns its size or -1. */
  private literal(buf: Buffer, end: number, prefixMask: number, indexing: boolean, out: string[] | null): number {
    const nameIndex = this.readInteger(buf, end, prefixMask);
    if (nameIndex < 0) return -1;
    let name: string | null;
    if (nameIndex === 0) name = this.readString(buf, end);
    else if (nameIndex <= STATIC_TABLE_LENGTH) name = STATIC_NAMES[nameIndex]!;
    else if (nameIndex - STATIC_TABLE_LENGTH <= this.table.count) name = this.table.nameAt(nameIndex - STATIC_TABLE_LENGTH);
    else return -1;
    if (name === null) return -1;
    const value = this.readString(buf, end);
    if (value === null) return -1;
    if (indexing) this.table.add(name, value);
    if (out !== null) out.push(name, value);
    return name.length + value.length + 32;
  }

  /** A string literal (§5.2) at `pos`: H bit, 7-bit-prefix length, raw or Huffman octets. Null if malformed or past `end`. */
  private readString(buf: Buffer, end: number): string | null {
    if (this.pos >= end) return null;
    const huffman = buf[this.pos]! >= 0x80;
    const length = this.readInteger(buf, end, 0x7f);
    if (length < 0 || length > end - this.pos) return null;
    const from = this.pos;
    this.pos = from + length;
    return huffman ? huffmanDecode(buf, from, from + length) : latin1(buf, from, from + length);
  }

  /**
   * An integer (§5.1) at `pos` whose first octet carries `prefixMask` (2^N - 1) as its low bits; -1 when
   * it runs past `end`, exceeds 2^31 - 1 or takes more than 5 continuation octets.
   */
  private readInteger(buf: Buffer, end: number, prefixMask: number): number {
    let pos = this.pos;
    if (pos >= end) return -1;
    let value = buf[pos++]! & prefixMask;
    if (value === prefixMask) {
      let weight = 1;
      let octets = 0;
      let octet: number;
      do {
        if (pos >= end || octets === MAX_CONTINUATION_OCTETS) return -1;
        octet = buf[pos++]!;
        value += (octet & 0x7f) * weight;
        weight *= 128;
        octets++;
      } while (octet >= 0x80);
      if (value > MAX_INTEGER) return -1;
    }
    this.pos = pos;
    return value;
  }
}
