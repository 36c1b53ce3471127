import type { ErrorKind } from "../observe/error-kind.types";
import type { ConnectionContext, ConnectionObserver, RequestRecord } from "../observe/observer.types";

/** One event seen by a RecordingObserver (copies: the engine reuses its objects). */
export type ObservedEvent =
  | { type: "open"; listenerId: string; localAddress: string; clientAddress: string }
  | { type: "bytesIn"; bytes: number }
  | { type: "bytesOut"; bytes: number }
  | { type: "request"; record: RequestRecord; memberId: string | null }
  | { type: "error"; kind: ErrorKind; cause: unknown }
  | { type: "close"; bytesIn: number; bytesOut: number };

/** A test observer that keeps every event in order. */
export class RecordingObserver implements ConnectionObserver {
  readonly events: ObservedEvent[] = [];
  readonly observesRequests = true;

  connectionOpened(context: ConnectionContext): void {
    this.events.push({ type: "open", listenerId: context.listenerId, localAddress: context.localAddress, clientAddress: context.clientAddress });
  }

  bytesIn(_context: ConnectionContext, bytes: number): void {
    this.events.push({ type: "bytesIn", bytes });
  }

  bytesOut(_context: ConnectionContext, bytes: number): void {
    this.events.push({ type: "bytesOut", bytes });
  }

  requestStarted(): void {}

  requestDone(_context: ConnectionContext, record: RequestRecord): void {
    this.events.push({ type: "request", record: { ...record }, memberId: record.member?.config.id ?? null });
  }

  error(_context: ConnectionContext, kind: ErrorKind, cause: unknown): void {
    this.events.push({ type: "error", kind, cause });
  }

  connectionClosed(context: ConnectionContext): void {
    this.events.push({ type: "close", bytesIn: context.bytesIn, bytesOut: context.bytesOut });
  }

  /** Events of one type. */
  of<T extends ObservedEvent["type"]>(type: T): Extract<ObservedEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<ObservedEvent, { type: T }> => e.type === type);
  }

  /** Sum of the bytes reported in one direction. */
  total(type: "bytesIn" | "bytesOut"): number {
    return this.of(type).reduce((sum, e) => sum + e.bytes, 0);
  }
}
