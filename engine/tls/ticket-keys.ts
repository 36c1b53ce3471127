import { hkdfSync, randomBytes } from "node:crypto";

/** How long one ticket key is used before the next one takes over: one hour. */
export const TICKET_KEY_PERIOD_MS = 60 * 60 * 1000;

/** Lifetime of a TLS session (ticket) the engine issues, in seconds (Node's and nginx's default: 5 min). */
export const TLS_SESSION_TIMEOUT_SECONDS = 300;

/** Bytes of a Node ticket key: 16 name, 16 HMAC secret, 16 AES key. */
const TICKET_KEY_BYTES = 48;

/**
 * Session-ticket keys shared by every worker thread and rotated by the engine. The primary generates one
 * random 32-byte `secret` at start and hands it to each worker (workerData); every thread derives the key
 * of the current period from it (HKDF-SHA256, info "elb tls ticket key <period>"), so a ticket one thread
 * issued resumes on any other, and at each period boundary all threads switch to the next key together
 * without a message. A ticket issued under an earlier key no longer decrypts: that client gets a full
 * handshake (Node keeps one ticket key per context). A new engine build starts with a new secret.
 */
export class TicketKeys {
  constructor(
    /** 32 random bytes, the same in every thread of one engine. */
    readonly secret: Buffer = randomBytes(32),
    readonly periodMs: number = TICKET_KEY_PERIOD_MS,
  ) {
    if (secret.length < 32) throw new Error("the ticket key secret must be at least 32 bytes");
    if (!(periodMs > 0)) throw new Error("the ticket key period must be positive");
  }

  /** The period `now` falls in. */
  periodAt(now: number): number {
    return Math.floor(now / this.periodMs);
  }

  /** The 48-byte ticket key of `period`. */
  keyOf(period: number): Buffer {
    return Buffer.from(hkdfSync("sha256", this.secret, Buffer.alloc(0), `elb tls ticket key ${period}`, TICKET_KEY_BYTES));
  }
}
