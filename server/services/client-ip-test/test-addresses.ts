/** The loopback addresses of a client-IP test (Linux: all of 127.0.0.0/8 is local, no setup needed). */

/** Where the test engine binds its one listener and the echo target listens: the engine's own side. */
export const TEST_ENGINE_ADDRESS = "127.0.0.1";

/**
 * Where the test's client connects from: distinct from the engine's address, so that the result tells
 * "the backend saw the client" from "the backend saw the load balancer".
 */
export const TEST_CLIENT_ADDRESS = "127.0.0.77";

/** The client a tester acting as a trusted proxy in front names in its PROXY v1 header (TEST-NET-1, RFC 5737). */
export const PROXIED_CLIENT = Object.freeze({ address: "192.0.2.10", port: 40000 });

/**
 * The client it names instead when the group is transparent: a loopback address, which the engine binds
 * as its source without IP_TRANSPARENT or policy routing (192.0.2.10 could not reach the echo target
 * on 127.0.0.1 and back).
 */
export const PROXIED_LOOPBACK_CLIENT = Object.freeze({ address: "127.0.0.78", port: 40000 });
