import { crc32c } from "./crc32c";
import { ABSENT, INCOMPLETE, invalid } from "./decode-result";
import { formatIPv4, formatIPv6 } from "./ip-bytes";
import { PROXY_V2_MAX_LENGTH, PROXY_V2_SIGNATURE, type ProxyAddresses, type ProxyDecodeResult, type ProxyTlv } from "./proxy-header.types";

/**
 * The binary header, version 2 (HAProxy doc/proxy-protocol.txt section 2.2): 12-byte signature,
 * version/command, family/transport, 16-bit length, then the address block and TLVs (2.2 "struct
 * pp2_tlv") up to exactly 16 + length bytes.
 */

/** 16 bytes of fixed part: signature, ver_cmd, fam, len. */
const FIXED_LENGTH = 16;
const TRANSPORTS = ["UNSPEC", "STREAM", "DGRAM"] as const;

/** TLV types given a rule here (2.2.3, 2.2.5, 2.2.6). */
const PP2_TYPE_CRC32C = 0x03;
const PP2_TYPE_UNIQUE_ID = 0x05;
const PP2_TYPE_SSL = 0x20;
/** 2.2.5: "an opaque byte sequence of up to 128 bytes". */
const UNIQUE_ID_MAX = 128;
/** 2.2.6: struct pp2_tlv_ssl { uint8_t client; uint32_t verify; struct pp2_tlv sub_tlv[0]; }. */
const SSL_FIXED_LENGTH = 5;

const BAD_VERSION = invalid("v2: the version nibble of byte 13 must be 2 (section 2.2)");
const BAD_COMMAND = invalid("v2: the command must be LOCAL (0x0) or PROXY (0x1) (section 2.2)");
const BAD_FAMILY = invalid("v2: the address family must be AF_UNSPEC, AF_INET, AF_INET6 or AF_UNIX (0x0-0x3)");
const BAD_TRANSPORT = invalid("v2: the transport must be UNSPEC, STREAM or DGRAM (0x0-0x2)");
const NO_TRANSPORT = invalid("v2: a PROXY command with an address family needs the STREAM or DGRAM transport");
const TOO_LONG = invalid(`v2: the header is longer than the ${PROXY_V2_MAX_LENGTH} bytes the engine accepts`);
const SHORT_FOR = [
  null,
  invalid("v2: the length is shorter than the AF_INET address block (12 bytes)"),
  invalid("v2: the length is shorter than the AF_INET6 address block (36 bytes)"),
  invalid("v2: the length is shorter than the AF_UNIX address block (216 bytes)"),
];
const TLV_HEADER_TRUNCATED = invalid("v2: a TLV needs 3 bytes of type and length, fewer are left in the header");
const TLV_PAST_END = invalid("v2: a TLV runs past the end of the header");
const BAD_CRC32C_LENGTH = invalid("v2: the PP2_TYPE_CRC32C value must be 4 bytes");
const BAD_CRC32C = invalid("v2: the CRC32c checksum does not match the header");
const UNIQUE_ID_TOO_LONG = invalid("v2: the PP2_TYPE_UNIQUE_ID value is longer than 128 bytes");
const SSL_TOO_SHORT = invalid("v2: the PP2_TYPE_SSL value is shorter than its 5-byte client/verify part");
const SSL_SUB_TLV_PAST_END = invalid("v2: a PP2_TYPE_SSL sub-TLV runs past the end of its TLV");

/**
 * Address block length by family/transport byte (section 2.2 "In practice, the following protocol bytes
 * are expected"): 0 for AF_UNSPEC, 12/36/216 for AF_INET/AF_INET6/AF_UNIX over STREAM or DGRAM, -1 for
 * a family without transport (0x10, 0x20, 0x30), whose layout the spec leaves open.
 */
function addressBlockLength(family: number, transport: number): number {
  if (family === 0) return 0;
  if (transport === 0) return -1;
  return family === 1 ? 12 : family === 2 ? 36 : 216;
}

/** Decodes bytes[start, end) whose first byte is the signature's (0x0D). See `decodeProxyHeader`. */
export function decodeV2(bytes: Uint8Array, start: number, end: number): ProxyDecodeResult {
  const available = end - start;
  const signatureBytes = available < 12 ? available : 12;
  for (let i = 0; i < signatureBytes; i++) {
    if (bytes[start + i] !== PROXY_V2_SIGNATURE[i]) return ABSENT;
  }
  if (available < 13) return INCOMPLETE;
  const versionCommand = bytes[start + 12]!;
  if (versionCommand >> 4 !== 2) return BAD_VERSION;
  const command = versionCommand & 0x0f;
  if (command > 1) return BAD_COMMAND;
  if (available < 14) return INCOMPLETE;
  const familyTransport = bytes[start + 13]!;
  const family = familyTransport >> 4;
  const transport = familyTransport & 0x0f;
  if (family > 3) return BAD_FAMILY;
  if (transport > 2) return BAD_TRANSPORT;
  const blockLength = addressBlockLength(family, transport);
  if (blockLength === -1 && command === 1) return NO_TRANSPORT;
  if (available < FIXED_LENGTH) return INCOMPLETE;
  const length = FIXED_LENGTH + ((bytes[start + 14]! << 8) | bytes[start + 15]!);
  if (length > PROXY_V2_MAX_LENGTH) return TOO_LONG;
  const blockFits = length >= FIXED_LENGTH + blockLength;
  if (!blockFits && command === 1) return SHORT_FOR[family]!;
  if (available < length) return INCOMPLETE;

  // LOCAL: "the receiver must accept this connection as valid and must use the real connection endpoints
  // and discard the protocol block including the family which is ignored" (2.2). A LOCAL block whose
  // family does not describe it (no transport, or shorter than its addresses) is discarded whole, TLVs
  // unread: where they would start is unknown.
  const tlvs: ProxyTlv[] = [];
  if (blockLength !== -1 && blockFits) {
    const failure = readTlvs(bytes, start, start + FIXED_LENGTH + blockLength, start + length, tlvs);
    if (failure !== null) return failure;
  }
  const addresses = command === 1 && (family === 1 || family === 2) ? readAddresses(bytes, start + FIXED_LENGTH, family) : null;
  return {
    status: "header",
    length,
    header: { version: 2, command: command === 1 ? "PROXY" : "LOCAL", transport: TRANSPORTS[transport]!, addresses, tlvs },
  };
}

/** The AF_INET (1) or AF_INET6 (2) block at `at`: source, destination, source port, destination port. */
function readAddresses(bytes: Uint8Array, at: number, family: number): ProxyAddresses {
  const size = family === 1 ? 4 : 16;
  const ports = at + 2 * size;
  return {
    family: family === 1 ? "IPv4" : "IPv6",
    sourceAddress: family === 1 ? formatIPv4(bytes, at) : formatIPv6(bytes, at),
    destinationAddress: family === 1 ? formatIPv4(bytes, at + size) : formatIPv6(bytes, at + size),
    sourcePort: (bytes[ports]! << 8) | bytes[ports + 1]!,
    destinationPort: (bytes[ports + 2]! << 8) | bytes[ports + 3]!,
  };
}

/**
 * Walks the TLVs in bytes[from, headerEnd) into `out` (values copied: the bytes may be a shared read
 * buffer). Every TLV must fit in the header, and the header must end on a TLV boundary (HAProxy's rule
 * too). Returns the broken rule, or null.
 */
function readTlvs(bytes: Uint8Array, headerStart: number, from: number, headerEnd: number, out: ProxyTlv[]): ProxyDecodeResult | null {
  let at = from;
  while (at < headerEnd) {
    if (at + 3 > headerEnd) return TLV_HEADER_TRUNCATED;
    const type = bytes[at]!;
    const valueLength = (bytes[at + 1]! << 8) | bytes[at + 2]!;
    const valueStart = at + 3;
    const valueEnd = valueStart + valueLength;
    if (valueEnd > headerEnd) return TLV_PAST_END;
    if (type === PP2_TYPE_CRC32C) {
      if (valueLength !== 4) return BAD_CRC32C_LENGTH;
      const sent = ((bytes[valueStart]! << 24) | (bytes[valueStart + 1]! << 16) | (bytes[valueStart + 2]! << 8) | bytes[valueStart + 3]!) >>> 0;
      if (crc32c(bytes, headerStart, headerEnd, valueStart) !== sent) return BAD_CRC32C;
    } else if (type === PP2_TYPE_UNIQUE_ID) {
      if (valueLength > UNIQUE_ID_MAX) return UNIQUE_ID_TOO_LONG;
    } else if (type === PP2_TYPE_SSL) {
      if (valueLength < SSL_FIXED_LENGTH) return SSL_TOO_SHORT;
      // Sub-TLVs are not decoded, only bounded: each must end inside the SSL TLV.
      for (let sub = valueStart + SSL_FIXED_LENGTH; sub < valueEnd; ) {
        if (sub + 3 > valueEnd) return SSL_SUB_TLV_PAST_END;
        sub += 3 + ((bytes[sub + 1]! << 8) | bytes[sub + 2]!);
        if (sub > valueEnd) return SSL_SUB_TLV_PAST_END;
      }
    }
    const value = new Uint8Array(valueLength);
    value.set(bytes.subarray(valueStart, valueEnd));
    out.push({ type, value });
    at = valueEnd;
  }
  return null;
}
