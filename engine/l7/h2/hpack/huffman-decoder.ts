import { latin1 } from "../../../io/bytes";
import { EOS, HUFFMAN_CODES, HUFFMAN_LENGTHS } from "./huffman-code";

/**
 * HPACK Huffman decoding (RFC 7541 §5.2, Appendix B) by a byte-at-a-time state machine: a state is an
 * internal node of the code tree (256 of them, 0 the root); the table, built once at module load,
 * gives for each state and input octet the next state and the 0, 1 or 2 symbols completed on the
 * way (the shortest code is 5 bits, so one octet finishes at most two). One lookup per input octet.
 */

const STATE_BITS = 8;
/** Entry layout: bits 0-7 next state, 8-15 first symbol, 16-23 second symbol, 24-25 how many symbols. */
const COUNT_SHIFT = 24;
/** Set when the octet runs into EOS: the string is a compression error. Highest bit used: `entry >= FAIL`. */
const FAIL = 1 << 26;

/** transitions[(state << 8) | octet]. */
const TRANSITIONS = new Uint32Array(256 << STATE_BITS);
/** accepting[state]: the string may end in this state — at the root, or after 1 to 7 bits all ones (EOS's prefix). */
const ACCEPTING = new Uint8Array(256);

buildTables();

function buildTables(): void {
  // Tree: child >= 0 is an internal node, child < 0 is the leaf of symbol -child - 1.
  const zero = new Int32Array(256);
  const one = new Int32Array(256);
  let nodes = 1;
  for (let symbol = 0; symbol <= EOS; symbol++) {
    const code = HUFFMAN_CODES[symbol]!;
    const length = HUFFMAN_LENGTHS[symbol]!;
    let node = 0;
    for (let bit = length - 1; bit > 0; bit--) {
      const children = Math.floor(code / 2 ** bit) % 2 === 1 ? one : zero;
      if (children[node] === 0) children[node] = nodes++;
      node = children[node]!;
    }
    (code % 2 === 1 ? one : zero)[node] = -symbol - 1;
  }
  if (nodes !== 256) throw new Error(`Huffman code tree has ${nodes} internal nodes, expected 256`);

  // The all-ones path from the root: nodes 1..7 bits deep accept (padding), deeper ones do not.
  ACCEPTING[0] = 1;
  for (let node = 0, depth = 1; depth <= 7; depth++) {
    node = one[node]!;
    ACCEPTING[node] = 1;
  }

  for (let state = 0; state < 256; state++) {
    for (let octet = 0; octet < 256; octet++) {
      let node = state;
      let count = 0;
      let symbols = 0;
      let failed = false;
      for (let bit = 7; bit >= 0; bit--) {
        const child = ((octet >> bit) & 1) === 1 ? one[node]! : zero[node]!;
        if (child >= 0) {
          node = child;
          continue;
        }
        const symbol = -child - 1;
        if (symbol === EOS) {
          failed = true;
          break;
        }
        symbols |= symbol << (8 * count);
        count++;
        node = 0;
      }
      TRANSITIONS[(state << STATE_BITS) | octet] = failed ? FAIL : node | (symbols << 8) | (count << COUNT_SHIFT);
    }
  }
}

/** Decoded octets land here before becoming one string; grown when a longer string arrives. */
let scratch = Buffer.allocUnsafe(4096);

/**
 * Decodes the Huffman-coded octets `buf[start, end)` into a latin1 string, or null on a compression
 * error: EOS inside the string, padding longer than 7 bits, or padding that is not all ones.
 */
export function huffmanDecode(buf: Buffer, start: number, end: number): string | null {
  const most = Math.ceil(((end - start) * 8) / 5);
  if (most > scratch.length) scratch = Buffer.allocUnsafe(Math.max(most, scratch.length * 2));
  const out = scratch;
  let o = 0;
  let state = 0;
  for (let i = start; i < end; i++) {
    const entry = TRANSITIONS[(state << STATE_BITS) | buf[i]!]!;
    if (entry >= FAIL) return null;
    const count = entry >>> COUNT_SHIFT;
    if (count !== 0) {
      out[o++] = (entry >>> 8) & 0xff;
      if (count === 2) out[o++] = (entry >>> 16) & 0xff;
    }
    state = entry & 0xff;
  }
  if (ACCEPTING[state] === 0) return null;
  return latin1(out, 0, o);
}
