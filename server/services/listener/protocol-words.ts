import type { ListenerProtocol } from "@/db/schema/listeners";

/** "a TCP listener", "an HTTP listener": the protocol with its article, for messages. */
export function aListenerOf(protocol: ListenerProtocol): string {
  return `${protocol.startsWith("H") ? "an" : "a"} ${protocol} listener`;
}
