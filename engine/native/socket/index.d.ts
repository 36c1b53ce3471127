/** Opens a bound, non-blocking, close-on-exec socket and returns its descriptor; throws with `code` = errno name. */
export function openSocket(family: 4 | 6, type: "tcp" | "udp", address: string, port: number, reusePort: boolean): number;
/** Closes a descriptor that was never handed to net/dgram. */
export function closeFd(fd: number): void;
