/**
 * The HPACK Huffman code (RFC 7541 Appendix B): 256 octets and EOS (symbol 256). The code is
 * canonical (within one length, codes rise with the symbol; each length continues where the shorter
 * one ended), so it is written here as its 257 code lengths and the codes are derived from them once
 * at module load; the tests check the derivation against codes printed in the RFC.
 */

/** The end-of-string symbol: never valid inside a string, its leading bits are the padding (§5.2). */
export const EOS = 256;

/** Code length in bits of each symbol 0..256 (RFC 7541 Appendix B, column "len"). */
export const HUFFMAN_LENGTHS: readonly number[] = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
  28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
  5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
  6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
  24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
  21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
  19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
  26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30,
];

/** The code of each symbol 0..256, right-aligned in its length (RFC 7541 Appendix B, column "code as hex"). */
export const HUFFMAN_CODES: readonly number[] = canonicalCodes(HUFFMAN_LENGTHS);

function canonicalCodes(lengths: readonly number[]): number[] {
  const symbols = lengths.map((_, symbol) => symbol);
  symbols.sort((a, b) => lengths[a]! - lengths[b]! || a - b);
  const codes = new Array<number>(lengths.length).fill(0);
  let code = 0;
  let length = lengths[symbols[0]!]!;
  for (const symbol of symbols) {
    const next = lengths[symbol]!;
    code *= 2 ** (next - length); // up to 30 bits: multiply, not shift, to stay clear of the sign bit
    length = next;
    codes[symbol] = code;
    code++;
  }
  return codes;
}
