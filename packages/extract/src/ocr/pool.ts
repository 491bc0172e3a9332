import { availableParallelism } from "node:os";
import type { Worker } from "tesseract.js";
import { ExtractError } from "../errors";
import { type GuardedWorker, guardWorker } from "./guarded-worker";
import { createTesseractWorker } from "./tesseract-worker";

export interface OcrPoolOptions {
  /** Workers run side by side; each is one thread with its own WASM heap. */
  size?: number;
  /** A worker is replaced after this many jobs, because its WASM heap only ever grows. */
  recycleAfter?: number;
  /** A job running longer than this has its worker killed and replaced. */
  jobTimeoutMs?: number;
  /** How a worker is made; the bench passes other traineddata here. */
  createWorker?: () => Promise<Worker>;
}

export interface RunOptions {
  /** Overrides the pool's jobTimeoutMs for this job. */
  timeoutMs?: number;
}

export interface OcrPoolStats {
  size: number;
  /** Workers created, replacements included. */
  started: number;
  terminated: number;
  recycled: number;
  timedOut: number;
  busy: number;
  queued: number;
}

export type OcrJob<T> = (worker: Worker) => Promise<T>;

interface Task {
  job: OcrJob<unknown>;
  timeoutMs: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Promise<GuardedWorker>;
  jobs: number;
  busy: boolean;
  /** Rejects the running job when the pool closes under it. */
  abort?: (error: Error) => void;
}

export const defaultRecycleAfter = 50;
export const defaultJobTimeoutMs = 60_000;

const timedOut = Symbol("timed out");

/**
 * A fixed set of tesseract.js workers behind a queue. Workers start on first demand. A
 * worker is terminated and replaced after `recycleAfter` jobs (its WASM heap never shrinks,
 * so a long-lived worker's memory only grows), after a job that exceeds its timeout (the
 * only way to stop a recognize call is to kill its thread), and after a job that failed
 * inside tesseract (its state is unknown). Jobs wait in order while every worker is busy.
 */
export class OcrPool {
  readonly #size: number;
  readonly #recycleAfter: number;
  readonly #jobTimeoutMs: number;
  readonly #createWorker: () => Promise<Worker>;
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];
  readonly #counts = { started: 0, terminated: 0, recycled: 0, timedOut: 0 };
  #closed = false;

  constructor(options: OcrPoolOptions = {}) {
    this.#size = Math.max(1, options.size ?? availableParallelism());
    this.#recycleAfter = Math.max(1, options.recycleAfter ?? defaultRecycleAfter);
    this.#jobTimeoutMs = options.jobTimeoutMs ?? defaultJobTimeoutMs;
    this.#createWorker = options.createWorker ?? (() => createTesseractWorker());
  }

  run<T>(job: OcrJob<T>, options: RunOptions = {}): Promise<T> {
    if (this.#closed) return Promise.reject(closedError());
    return new Promise<T>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.#jobTimeoutMs;
      this.#queue.push({ job, timeoutMs, resolve: resolve as (value: unknown) => void, reject });
      this.#dispatch();
    });
  }

  stats(): OcrPoolStats {
    return {
      size: this.#size,
      ...this.#counts,
      busy: this.#slots.filter((slot) => slot.busy).length,
      queued: this.#queue.length,
    };
  }

  /** Rejects queued and running jobs and terminates every worker, including ones starting. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const task of this.#queue.splice(0)) task.reject(closedError());
    await Promise.all(
      this.#slots.map(async (slot) => {
        slot.abort?.(closedError());
        const worker = await slot.worker.catch(() => null);
        if (worker) await this.#terminate(worker);
      }),
    );
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const slot = this.#idleSlot();
      const task = slot && this.#queue.shift();
      if (!slot || !task) return;
      void this.#execute(slot, task);
    }
  }

  #idleSlot(): Slot | undefined {
    const idle = this.#slots.find((slot) => !slot.busy);
    if (idle || this.#slots.length >= this.#size) return idle;
    const slot: Slot = { worker: this.#spawn(), jobs: 0, busy: false };
    this.#slots.push(slot);
    return slot;
  }

  async #execute(slot: Slot, task: Task): Promise<void> {
    slot.busy = true;
    try {
      task.resolve(await this.#runOn(slot, task));
    } catch (error) {
      task.reject(error);
    } finally {
      slot.busy = false;
      if (!this.#closed) this.#dispatch();
    }
  }

  async #runOn(slot: Slot, task: Task): Promise<unknown> {
    let worker: GuardedWorker;
    try {
      worker = await slot.worker;
    } catch (error) {
      // The worker never started (e.g. traineddata missing): the next job tries a new one.
      if (!this.#closed) slot.worker = this.#spawn();
      throw error;
    }
    if (this.#closed) throw closedError();

    const job = task.job(worker.worker);
    // Once the race below is decided nobody awaits the job; a late rejection must not surface.
    job.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof timedOut>((resolve) => {
      timer = setTimeout(() => resolve(timedOut), task.timeoutMs);
    });
    const aborted = new Promise<never>((_, reject) => {
      slot.abort = reject;
    });
    try {
      const outcome = await Promise.race([job, deadline, aborted]);
      if (outcome === timedOut) {
        this.#counts.timedOut += 1;
        this.#replace(slot, worker);
        throw new ExtractError(
          "timeout",
          `OCR of a page took longer than ${task.timeoutMs} ms; its worker was stopped.`,
        );
      }
      this.#countJob(slot, worker);
      return outcome;
    } catch (error) {
      if (error instanceof ExtractError || this.#closed) {
        // Timed out (already replaced), closed, or refused before tesseract ran: the worker is sound.
        if (error instanceof ExtractError && error.code !== "timeout") this.#countJob(slot, worker);
      } else {
        this.#replace(slot, worker);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      slot.abort = undefined;
    }
  }

  #countJob(slot: Slot, worker: GuardedWorker): void {
    slot.jobs += 1;
    if (slot.jobs >= this.#recycleAfter) {
      this.#counts.recycled += 1;
      this.#replace(slot, worker);
    }
  }

  #replace(slot: Slot, worker: GuardedWorker): void {
    void this.#terminate(worker);
    slot.jobs = 0;
    if (!this.#closed) slot.worker = this.#spawn();
  }

  #spawn(): Promise<GuardedWorker> {
    this.#counts.started += 1;
    const worker = this.#createWorker().then(guardWorker);
    // Held until a job needs it; a failure is reported to that job, not as an unhandled rejection.
    worker.catch(() => {});
    return worker;
  }

  async #terminate(worker: GuardedWorker): Promise<void> {
    this.#counts.terminated += 1;
    await worker.terminate().catch(() => {});
  }
}

function closedError(): Error {
  return new Error("The OCR pool is closed.");
}
