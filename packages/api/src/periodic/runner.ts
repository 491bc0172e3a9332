import type { LeaderLock } from "@remit/db";

/** Work that must run once per cluster, every so often: in whichever process holds the lock. */
export interface PeriodicTask {
  name: string;
  everyMs: number;
  /** Run as soon as this process becomes the runner (else first after everyMs). */
  runAtStart?: boolean;
  /**
   * The work. It must be safe to run again, and briefly in two processes at once: a holder cut
   * off from the database keeps running until its next check finds the lock gone.
   */
  run(signal: AbortSignal): Promise<void>;
}

export interface PeriodicRunnerOptions {
  /** How often each process checks the lock: the longest a hand-over waits after a death. */
  checkEveryMs: number;
  onError?: (error: unknown, task: string) => void;
  /** Told when this process becomes the runner or stops being it. */
  onLeadership?: (leading: boolean) => void;
}

/**
 * One runner per process; one of them, the holder of the leader lock, runs the tasks. Every
 * process checks the lock every checkEveryMs: the holder confirms it still has it, the others try
 * to take it. When the holder dies its database session ends, the lock is free, and the next
 * check of another process takes it over and starts the tasks there. A holder that finds the
 * lock gone (its connection was cut and someone else took over) stops its tasks at once.
 *
 * Register every task before start(), e.g. the webhook dispatcher:
 * `runner.register(webhookTask(deps, { notifications }))`.
 */
export class PeriodicRunner {
  private readonly tasks: PeriodicTask[] = [];
  private leading: AbortController | null = null;
  private timers: ReturnType<typeof setTimeout>[] = [];
  private checker: ReturnType<typeof setTimeout> | null = null;
  private checking: Promise<void> = Promise.resolve();
  private stopped = true;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly lock: LeaderLock,
    private readonly options: PeriodicRunnerOptions,
  ) {}

  register(task: PeriodicTask): void {
    if (!this.stopped) throw new Error("register periodic tasks before start()");
    if (this.tasks.some((t) => t.name === task.name))
      throw new Error(`a periodic task named ${task.name} is registered already`);
    this.tasks.push(task);
  }

  /** Whether this process runs the tasks now. */
  get isLeader(): boolean {
    return this.leading !== null;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.scheduleCheck(0);
  }

  /** Stops the tasks (waiting for runs in flight), stops checking, and gives the lock up. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.checker) clearTimeout(this.checker);
    await this.checking;
    this.resign();
    await Promise.allSettled([...this.running]);
    await this.lock.release().catch(() => {});
  }

  /** One check now (tests, and the checker's own tick). */
  async check(): Promise<boolean> {
    const held = await this.lock.hold().catch(() => false);
    if (this.stopped) return false;
    if (held && !this.leading) this.lead();
    else if (!held && this.leading) this.resign();
    return held;
  }

  private scheduleCheck(delayMs: number): void {
    this.checker = setTimeout(() => {
      this.checking = this.check()
        .then(() => undefined)
        .finally(() => {
          if (!this.stopped) this.scheduleCheck(this.options.checkEveryMs);
        });
    }, delayMs);
    this.checker.unref();
  }

  private lead(): void {
    const leading = new AbortController();
    this.leading = leading;
    this.options.onLeadership?.(true);
    for (const task of this.tasks) this.schedule(task, task.runAtStart ? 0 : task.everyMs, leading);
  }

  private resign(): void {
    if (!this.leading) return;
    this.leading.abort();
    this.leading = null;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    this.options.onLeadership?.(false);
  }

  /** Runs after runs: a slow run delays the next one instead of overlapping it. */
  private schedule(task: PeriodicTask, delayMs: number, leading: AbortController): void {
    const timer = setTimeout(() => {
      this.timers = this.timers.filter((t) => t !== timer);
      if (leading.signal.aborted) return;
      const run = task
        .run(leading.signal)
        .catch((error: unknown) => this.options.onError?.(error, task.name))
        .finally(() => {
          this.running.delete(run);
          if (!leading.signal.aborted) this.schedule(task, task.everyMs, leading);
        });
      this.running.add(run);
    }, delayMs);
    timer.unref();
    this.timers.push(timer);
  }
}
