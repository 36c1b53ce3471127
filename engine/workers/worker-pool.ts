import { Worker } from "node:worker_threads";
import type { ListenerError } from "../protocol/ipc.types";
import type { Snapshot } from "../protocol/snapshot.types";
import type { InheritedSocket } from "../runtime/inherited-sockets";
import type { ThreadMetrics } from "../observe/metrics-sum";
import type { SlotAssignment, PrimaryToWorker, WorkerStatus, WorkerToPrimary } from "./worker-messages.types";

/** Options of a WorkerPool. */
export interface WorkerPoolOptions {
  /** Number of worker threads (≥ 1). */
  count: number;
  /** Script every worker thread runs (the engine bundle itself: it starts a worker when not the main thread). */
  entry: string | URL;
  /** Passed to every worker as `workerData` (the shared memory and the worker's index are added). */
  workerData: Record<string, unknown>;
  /**
   * Added to `workerData` of the first thread of place i only (its share of inherited listening sockets:
   * descriptors a restarted thread must not take again, they belong to the thread that ended).
   */
  initialWorkerData?: readonly Record<string, unknown>[];
  /** A worker that has not answered an apply after this long is ended and started again; default 15 000 ms. */
  applyDeadlineMs?: number;
  /** First restart delay after a worker died; doubles per death in a row up to 5 s; default 100 ms. */
  restartDelayMs?: number;
  /** Where the pool reports restarts and deadlines. */
  log: (message: string) => void;
  /** Called when a worker's thread ended (before it is started again). */
  onExit?: (index: number) => void;
  /** Called with the metrics a worker sends on its own (seq 0: its last numbers before it exits on an error). */
  onMetrics?: (index: number, metrics: ThreadMetrics) => void;
}

/** What the pool keeps of one worker place. */
interface Place {
  status: WorkerStatus;
  thread: Worker | null;
  /** Highest apply `seq` this thread answered (0 = none). */
  appliedSeq: number;
  errors: ListenerError[];
  /** Deaths in a row without a successful apply in between (restart backoff). */
  deathsInARow: number;
  deadline: NodeJS.Timeout | undefined;
}

/** The latest apply, re-sent to every worker that (re)starts. */
interface Target {
  seq: number;
  snapshot: Snapshot;
  slots: SlotAssignment;
}

/**
 * The engine's data-plane threads, seen from the primary. `apply` is a version barrier: it resolves only
 * when every worker place serves the snapshot (a worker that dies meanwhile is replaced, and the
 * replacement is given the same snapshot before it counts), so once the primary reports "applied" to the
 * console no worker serves an older config. A worker that dies is started again (100 ms, doubling to 5 s
 * while it keeps dying) and gets the current snapshot; one that does not answer an apply within the
 * deadline is ended and replaced the same way.
 */
export class WorkerPool {
  private readonly places: Place[] = [];
  private target: Target | null = null;
  private seq = 0;
  private waiters: { seq: number; resolve: (errors: ListenerError[]) => void }[] = [];
  private stopping = false;
  private socketsSeq = 0;
  private metricsSeq = 0;

  constructor(private readonly options: WorkerPoolOptions) {
    if (!(options.count >= 1)) throw new Error(`worker count must be at least 1, got ${options.count}`);
    for (let index = 0; index < options.count; index++) {
      this.places.push({
        status: { index, threadId: 0, state: "starting", version: 0, startedAt: 0, restarts: 0 },
        thread: null,
        appliedSeq: 0,
        errors: [],
        deathsInARow: 0,
        deadline: undefined,
      });
    }
  }

  /** Starts every worker thread; resolves when all have said "ready". */
  async start(): Promise<void> {
    await Promise.all(this.places.map((place) => this.spawn(place)));
  }

  /** Number of worker places. */
  get count(): number {
    return this.places.length;
  }

  /** Status of every worker place, in index order (copies). */
  status(): WorkerStatus[] {
    return this.places.map((place) => ({ ...place.status }));
  }

  /**
   * Sends `snapshot` to every worker; resolves, once every worker place applied it (or a later one),
   * with the listener errors the workers reported for it (each distinct error once).
   */
  apply(snapshot: Snapshot, slots: SlotAssignment): Promise<ListenerError[]> {
    const seq = ++this.seq;
    this.target = { seq, snapshot, slots };
    const done = new Promise<ListenerError[]>((resolve) => this.waiters.push({ seq, resolve }));
    for (const place of this.places) if (place.thread !== null && place.status.state === "running") this.send(place, this.target);
    this.settle();
    return done;
  }

  /**
   * Every running worker's listening sockets (descriptors of this process). A worker that does not answer
   * within `timeoutMs` (or ends meanwhile) adds none; that is logged.
   */
  async listeningSockets(timeoutMs = 5000): Promise<InheritedSocket[]> {
    const seq = ++this.socketsSeq;
    const shares = await Promise.all(
      this.places.map((place) => {
        const thread = place.thread;
        if (thread === null || place.status.state !== "running") return Promise.resolve([]);
        return new Promise<InheritedSocket[]>((resolve) => {
          const done = (sockets: InheritedSocket[]): void => {
            clearTimeout(timer);
            thread.off("message", onMessage);
            thread.off("exit", onExit);
            resolve(sockets);
          };
          const onMessage = (message: WorkerToPrimary): void => {
            if (message.type === "sockets" && message.seq === seq) done(message.sockets);
          };
          const onExit = (): void => done([]);
          const timer = setTimeout(() => {
            this.options.log(`worker ${place.status.index} did not list its sockets within ${timeoutMs} ms`);
            done([]);
          }, timeoutMs);
          thread.on("message", onMessage);
          thread.once("exit", onExit);
          const message: PrimaryToWorker = { type: "sockets", seq };
          thread.postMessage(message);
        });
      }),
    );
    return shares.flat();
  }

  /**
   * Asks every running worker for its metrics; `onAnswer(index, metrics)` is called for each answer as it
   * arrives, synchronously, while that thread is still the place's thread (so an answer is never taken
   * after the `onExit` of its thread). Resolves once every worker answered, ended or let `timeoutMs` pass.
   * `only`: ask worker `only` alone.
   */
  collectMetrics(onAnswer: (index: number, metrics: ThreadMetrics) => void, timeoutMs = 2000, only?: number): Promise<void> {
    const seq = ++this.metricsSeq;
    return Promise.all(
      this.places.map((place) => {
        const thread = place.thread;
        if (thread === null || place.status.state !== "running" || (only !== undefined && place.status.index !== only)) return Promise.resolve();
        return new Promise<void>((resolve) => {
          const done = (metrics: ThreadMetrics | null): void => {
            clearTimeout(timer);
            thread.off("message", onMessage);
            thread.off("exit", onExit);
            if (metrics !== null && place.thread === thread) onAnswer(place.status.index, metrics);
            resolve();
          };
          const onMessage = (message: WorkerToPrimary): void => {
            if (message.type === "metrics" && message.seq === seq) done(message.metrics);
          };
          const onExit = (): void => done(null);
          const timer = setTimeout(() => done(null), timeoutMs);
          thread.on("message", onMessage);
          thread.once("exit", onExit);
          const message: PrimaryToWorker = { type: "metrics", seq };
          thread.postMessage(message);
        });
      }),
    ).then(() => {});
  }

  /** True when worker `index` has a thread (and the pool is not stopping). */
  hasThread(index: number): boolean {
    const thread = this.places[index]?.thread;
    return thread !== null && thread !== undefined && !this.stopping;
  }

  /** Ends worker `index`'s thread now (it is started again as after a crash); false when it has none running. */
  terminate(index: number): boolean {
    const thread = this.places[index]?.thread;
    if (thread === null || thread === undefined || this.stopping) return false;
    this.options.log(`worker ${index}: ending its thread on request`);
    void thread.terminate();
    return true;
  }

  /** Asks every worker to stop accepting and drain for `graceMs`, then ends the threads. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.places.map(async (place) => {
        const thread = place.thread;
        if (thread === null) return;
        place.status.state = "stopping";
        clearTimeout(place.deadline);
        const stopped = new Promise<void>((resolve) => {
          thread.on("message", (message: WorkerToPrimary) => message.type === "stopped" && resolve());
          thread.once("exit", () => resolve());
        });
        const message: PrimaryToWorker = { type: "stop", graceMs };
        thread.postMessage(message);
        await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, graceMs + 1000).unref())]);
        await thread.terminate();
      }),
    );
  }

  private spawn(place: Place): Promise<void> {
    const first = place.status.startedAt === 0 ? this.options.initialWorkerData?.[place.status.index] : undefined;
    const thread = new Worker(this.options.entry, {
      workerData: { ...this.options.workerData, ...first, workerIndex: place.status.index },
      stdout: false,
      stderr: false,
    });
    place.thread = thread;
    place.appliedSeq = 0;
    place.errors = [];
    place.status.threadId = thread.threadId;
    place.status.state = "starting";
    place.status.startedAt = Date.now();
    return new Promise<void>((resolve) => {
      thread.on("message", (message: WorkerToPrimary) => {
        if (message.type === "ready") {
          place.status.state = "running";
          if (this.target !== null) this.send(place, this.target);
          resolve();
        } else if (message.type === "applied") this.onApplied(place, message);
        else if (message.type === "metrics" && message.seq === 0 && place.thread === thread) this.options.onMetrics?.(place.status.index, message.metrics);
      });
      thread.on("error", (err) => this.options.log(`worker ${place.status.index}: ${err.stack ?? err.message}`));
      thread.once("exit", (code) => {
        resolve(); // a worker that dies before "ready" must not hold start() forever
        this.onExit(place, thread, code);
      });
    });
  }

  private send(place: Place, target: Target): void {
    const message: PrimaryToWorker = { type: "apply", seq: target.seq, snapshot: target.snapshot, slots: target.slots };
    place.thread!.postMessage(message);
    clearTimeout(place.deadline);
    const deadlineMs = this.options.applyDeadlineMs ?? 15_000;
    place.deadline = setTimeout(() => {
      this.options.log(`worker ${place.status.index} did not apply snapshot ${target.snapshot.version} within ${deadlineMs} ms; restarting it`);
      void place.thread?.terminate();
    }, deadlineMs);
    place.deadline.unref();
  }

  private onApplied(place: Place, message: Extract<WorkerToPrimary, { type: "applied" }>): void {
    if (message.seq < place.appliedSeq) return;
    place.appliedSeq = message.seq;
    place.errors = message.errors;
    place.status.version = message.version;
    place.deathsInARow = 0;
    if (this.target === null || message.seq >= this.target.seq) clearTimeout(place.deadline);
    this.settle();
  }

  private onExit(place: Place, thread: Worker, code: number): void {
    if (place.thread !== thread) return;
    clearTimeout(place.deadline);
    place.thread = null;
    place.status.threadId = 0;
    this.options.onExit?.(place.status.index);
    if (this.stopping) return;
    place.status.state = "restarting";
    place.status.restarts++;
    const delay = Math.min(5000, (this.options.restartDelayMs ?? 100) * 2 ** place.deathsInARow++);
    this.options.log(`worker ${place.status.index} exited (code ${code}); starting it again in ${delay} ms`);
    setTimeout(() => {
      if (!this.stopping) void this.spawn(place);
    }, delay).unref();
  }

  /** Resolves every waiting apply that every worker place has reached. */
  private settle(): void {
    if (this.waiters.length === 0) return;
    let reached = Infinity;
    for (const place of this.places) reached = Math.min(reached, place.appliedSeq);
    const ready = this.waiters.filter((waiter) => waiter.seq <= reached);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => waiter.seq > reached);
    const errors = this.mergedErrors();
    for (const waiter of ready) waiter.resolve(errors);
  }

  private mergedErrors(): ListenerError[] {
    const seen = new Map<string, ListenerError>();
    for (const place of this.places) for (const error of place.errors) seen.set(`${error.listenerId}\n${error.message}`, error);
    return [...seen.values()];
  }
}
