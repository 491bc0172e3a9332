import { EventEmitter } from "node:events";
import type { Notifications } from "@remit/db";

/*
 * "A job may be claimable now", said by whoever made it so (a document queued, a job released)
 * and heard by every API process: job.claim with a wait holds an idle worker's request until
 * this signal or its time runs out, instead of the worker polling every second. Through
 * LISTEN/NOTIFY, so a job queued by one API process wakes a worker waiting on another. The
 * signal is a hint: a woken claim simply tries the queue again, and the wait's time limit still
 * covers what nobody announces (a retry coming due, a lease running out, a lost notification).
 */

const channel = "remit_jobs";

export interface JobWaitOutcome {
  /** Why the wait ended. */
  reason: "signal" | "timeout" | "aborted";
}

export interface JobWaiter {
  wait(ms: number, signal?: AbortSignal): Promise<JobWaitOutcome>;
  cancel(): void;
}

export class JobSignal {
  private readonly local = new EventEmitter();
  private listening: Promise<void> | null = null;
  /** Figures a test (or /metrics) can read: how waits ended. */
  readonly counts = { signal: 0, timeout: 0, aborted: 0 };

  constructor(private readonly notifications?: Notifications) {
    this.local.setMaxListeners(0);
  }

  private inWait = 0;

  /** Claim requests waiting right now (armed, looked, found nothing, waiting). */
  get waiting(): number {
    return this.inWait;
  }

  /** Settles when a claim next starts to wait (tests await this instead of guessing). */
  nextWait(): Promise<void> {
    return new Promise((resolve) => this.local.once("waiting", () => resolve()));
  }

  /** Tells every waiting claim, in every API process, to look at the queue again. */
  async announce(): Promise<void> {
    if (this.notifications) await this.notifications.notify([{ channel, payload: "" }]);
    else this.local.emit("wake");
  }

  /**
   * Starts listening for an announcement, before the caller looks at the queue: whatever is
   * announced between that look and the wait is not missed. `wait` then ends at the
   * announcement (or at once if one came already), after `ms`, or when `signal` aborts.
   * `cancel` when not waiting after all.
   */
  async arm(): Promise<JobWaiter> {
    await this.listen();
    let woken = false;
    let wake: (() => void) | null = null;
    const onWake = () => {
      woken = true;
      wake?.();
    };
    this.local.on("wake", onWake);
    const cancel = () => {
      this.local.off("wake", onWake);
    };
    return {
      cancel,
      wait: (ms, signal) =>
        new Promise<JobWaitOutcome>((resolve) => {
          this.inWait++;
          let done = false;
          const finish = (reason: JobWaitOutcome["reason"]) => {
            if (done) return;
            done = true;
            this.inWait--;
            clearTimeout(timer);
            cancel();
            signal?.removeEventListener("abort", onAbort);
            resolve(this.end(reason));
          };
          const onAbort = () => finish("aborted");
          const timer = setTimeout(() => finish("timeout"), ms);
          wake = () => finish("signal");
          signal?.addEventListener("abort", onAbort, { once: true });
          if (woken) finish("signal");
          else if (signal?.aborted) finish("aborted");
          else this.local.emit("waiting");
        }),
    };
  }

  private end(reason: JobWaitOutcome["reason"]): JobWaitOutcome {
    this.counts[reason]++;
    return { reason };
  }

  /** One LISTEN per process, opened by the first wait and kept. */
  private listen(): Promise<void> {
    const notifications = this.notifications;
    if (!notifications) return Promise.resolve();
    this.listening ??= notifications
      .listen(channel, {
        onPayload: () => this.local.emit("wake"),
        // Notifications were lost while reconnecting: let every waiter look again.
        onResume: () => this.local.emit("wake"),
      })
      .then(
        () => undefined,
        (error: unknown) => {
          this.listening = null;
          throw error;
        },
      );
    return this.listening;
  }
}
