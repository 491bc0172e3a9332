import type { Worker } from "tesseract.js";

export interface GuardedWorker {
  /** What jobs are given: the worker, until it is revoked. */
  worker: Worker;
  /** Terminates the thread; from then on every call through `worker` rejects. */
  terminate(): Promise<void>;
}

/**
 * A job that timed out keeps running after its worker is terminated, and may still call
 * it (e.g. recognize after a slow preprocessing step). tesseract.js answers a call on a
 * terminated worker with an unhandled rejection and a promise that never settles, so calls
 * are stopped here instead, with an ordinary rejection the pool has already chosen to ignore.
 */
export function guardWorker(worker: Worker): GuardedWorker {
  let revoked = false;
  const guarded = new Proxy(worker, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) =>
        revoked
          ? Promise.reject(new Error("This OCR worker was terminated by its pool."))
          : value.apply(target, args);
    },
  });
  return {
    worker: guarded,
    async terminate() {
      revoked = true;
      await worker.terminate();
    },
  };
}
