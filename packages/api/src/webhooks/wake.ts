import type { Notifications } from "@remit/db";
import { webhookChannel } from "../queries/webhooks";

/*
 * "Webhook deliveries are due": the outbox trigger notifies at commit (and so do a ping and a
 * redelivery), so the dispatcher sends within moments instead of at its next poll. A latch: a
 * notification that comes while the dispatcher is busy is kept, and its next wait returns at
 * once. The poll interval still covers what nobody announces (a retry coming due, a lost
 * notification while the listening connection was down).
 */
export class WebhookWake {
  private pending = false;
  private wake: (() => void) | null = null;
  private listening: Promise<unknown> | null = null;

  constructor(private readonly notifications?: Notifications) {}

  /** Listens from now on (the first wait does it too). */
  async listen(): Promise<void> {
    const notifications = this.notifications;
    if (!notifications) return;
    this.listening ??= notifications
      .listen(webhookChannel, { onPayload: () => this.signal(), onResume: () => this.signal() })
      .catch((error: unknown) => {
        this.listening = null;
        throw error;
      });
    await this.listening;
  }

  /** Wakes the waiting dispatcher, or the next one to wait (this process only). */
  signal(): void {
    this.pending = true;
    this.wake?.();
  }

  /** Ends at a notification (or at once if one came since the last wait), after ms, or on abort. */
  wait(ms: number, signal?: AbortSignal): Promise<"signal" | "timeout" | "aborted"> {
    // Never waits on the LISTEN itself: should it hang, the poll interval still ends the wait.
    void this.listen().catch(() => {});
    return new Promise((resolve) => {
      const finish = (reason: "signal" | "timeout" | "aborted") => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.wake = null;
        if (reason === "signal") this.pending = false;
        resolve(reason);
      };
      const onAbort = () => finish("aborted");
      const timer = setTimeout(() => finish("timeout"), ms);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.wake = () => finish("signal");
      if (this.pending) finish("signal");
      else if (signal?.aborted) finish("aborted");
    });
  }
}
