import "server-only";
import type { EchoTarget, EchoTargetKind } from "./echo-target.types";
import { startDatagramEchoTarget } from "./datagram-echo-target";
import { startStreamEchoTarget } from "./stream-echo-target";

export type { EchoTarget, EchoTargetKind } from "./echo-target.types";

/** Starts an echo target of `kind` on 127.0.0.1 (see EchoTarget). */
export function startEchoTarget(kind: EchoTargetKind): Promise<EchoTarget> {
  return kind === "UDP" ? startDatagramEchoTarget() : startStreamEchoTarget(kind);
}
