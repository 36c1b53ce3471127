/** Opens a bound, non-blocking, close-on-exec socket and returns its descriptor; throws with `code` = errno name. */
export function openSocket(family: 4 | 6, type: "tcp" | "udp", address: string, port: number, reusePort: boolean): number;
/** Closes a descriptor that was never handed to net/dgram. */
export function closeFd(fd: number): void;
/**
 * Opens a TCP or UDP socket with IP_TRANSPARENT (IPv4) / IPV6_TRANSPARENT (IPv6), bound to sourceAddress:0
 * (a non-local address, e.g. a client's), unconnected, non-blocking, close-on-exec; TCP also gets
 * IP_BIND_ADDRESS_NO_PORT (port chosen at connect). Needs root or CAP_NET_ADMIN: else throws with
 * `code` EPERM; other errors carry their errno name as `code` too.
 */
export function openTransparentSocket(family: 4 | 6, type: "tcp" | "udp", sourceAddress: string): number;
/**
 * The smoothed round-trip time of a connected TCP socket in µs (Linux TCP_INFO tcpi_rtt); -1 when the
 * kernel cannot tell (not a TCP socket, already closed). Never throws for a bad descriptor.
 */
export function tcpInfoRtt(fd: number): number;
/**
 * One non-blocking send(2) (MSG_NOSIGNAL) of a latin1 string on a connected socket: the bytes the kernel
 * took, or the negated errno (-EAGAIN when its buffer is full; -EMSGSIZE for strings of 64 KiB or more).
 */
export function sendLatin1(fd: number, data: string): number;
/**
 * sendLatin1 for a latin1 `head` (may be empty) followed by bytes[start, end), in one sendmsg(2): the bytes
 * the kernel took of both (head first), or the negated errno.
 */
export function sendLatin1Bytes(fd: number, head: string, bytes: Uint8Array, start: number, end: number): number;
