/**
 * HTTP/2 wire constants (RFC 9113 §6, §7, §6.5.2) and the one frame-header writer. Plain numbers, no
 * enum objects: every use is a constant the JIT folds.
 */

/** Frame types (RFC 9113 §6). */
export const DATA = 0x0;
export const HEADERS = 0x1;
export const PRIORITY = 0x2;
export const RST_STREAM = 0x3;
export const SETTINGS = 0x4;
export const PUSH_PROMISE = 0x5;
export const PING = 0x6;
export const GOAWAY = 0x7;
export const WINDOW_UPDATE = 0x8;
export const CONTINUATION = 0x9;

/** Frame flags. */
export const FLAG_END_STREAM = 0x1;
export const FLAG_ACK = 0x1;
export const FLAG_END_HEADERS = 0x4;
export const FLAG_PADDED = 0x8;
export const FLAG_PRIORITY = 0x20;

/** Error codes (RFC 9113 §7). */
export const NO_ERROR = 0x0;
export const PROTOCOL_ERROR = 0x1;
export const INTERNAL_ERROR = 0x2;
export const FLOW_CONTROL_ERROR = 0x3;
export const STREAM_CLOSED = 0x5;
export const FRAME_SIZE_ERROR = 0x6;
export const REFUSED_STREAM = 0x7;
export const CANCEL = 0x8;
export const COMPRESSION_ERROR = 0x9;
export const ENHANCE_YOUR_CALM = 0xb;

/** Settings identifiers (RFC 9113 §6.5.2). */
export const SETTINGS_HEADER_TABLE_SIZE = 0x1;
export const SETTINGS_ENABLE_PUSH = 0x2;
export const SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
export const SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
export const SETTINGS_MAX_FRAME_SIZE = 0x5;
export const SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

/** Size of a frame header: 24-bit length, type, flags, 31-bit stream id. */
export const FRAME_HEADER_BYTES = 9;
/** SETTINGS_MAX_FRAME_SIZE's initial value and the smallest allowed; also what we accept. */
export const DEFAULT_MAX_FRAME_SIZE = 16_384;
/** The largest SETTINGS_MAX_FRAME_SIZE a peer may announce. */
export const MAX_FRAME_SIZE_LIMIT = 16_777_215;
/** Initial flow-control window of a connection and of every stream (RFC 9113 §6.9.2). */
export const DEFAULT_WINDOW = 65_535;
/** The largest flow-control window (2^31 - 1). */
export const MAX_WINDOW = 0x7fffffff;

/** The client connection preface (RFC 9113 §3.4), 24 octets. */
export const CLIENT_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/** Writes a frame header at `buf[at, at + 9)`. */
export function writeFrameHeader(buf: Buffer, at: number, length: number, type: number, flags: number, streamId: number): void {
  buf[at] = length >>> 16;
  buf[at + 1] = (length >>> 8) & 0xff;
  buf[at + 2] = length & 0xff;
  buf[at + 3] = type;
  buf[at + 4] = flags;
  buf.writeUInt32BE(streamId & 0x7fffffff, at + 5);
}
