import type { BackendView, Endpoint } from "./client-ip-test.types";

/**
 * The backend server a client-IP test sends to: it records exactly what it receives — the source
 * address of the connection or datagram, the PROXY header its first bytes decode to, and for HTTP the
 * request's header lines — and answers so that the test's client sees the exchange complete.
 */
export interface EchoTarget {
  /** Where it listens (127.0.0.1, a port the kernel chose). */
  readonly endpoint: Endpoint;
  /** What the first complete connection or datagram brought; null until one arrived. */
  readonly received: BackendView | null;
  /** Resolves once `received` is set. */
  readonly whenReceived: Promise<BackendView>;
  /** Stops listening and ends every connection it holds. */
  close(): Promise<void>;
}

/** How an echo target takes its traffic: a TCP line, an HTTP/1.1 request, or a UDP datagram. */
export type EchoTargetKind = "TCP" | "HTTP" | "UDP";
