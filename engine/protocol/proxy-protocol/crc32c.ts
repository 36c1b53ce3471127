/**
 * CRC32c (Castagnoli, RFC 4960 appendix B), for the PP2_TYPE_CRC32C TLV of a PROXY v2 header
 * (doc/proxy-protocol.txt section 2.2.3): the checksum of the whole header with the TLV's 4 value
 * bytes counted as zeros.
 */

/** One entry per byte value, reflected polynomial 0x82F63B78. */
const TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC32c of bytes[start, end), reading the 4 bytes at `zeroAt` (unless -1, the default) as zeros. Unsigned. */
export function crc32c(bytes: Uint8Array, start: number, end: number, zeroAt = -1): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) {
    const byte = zeroAt !== -1 && i >= zeroAt && i < zeroAt + 4 ? 0 : bytes[i]!;
    crc = TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}
