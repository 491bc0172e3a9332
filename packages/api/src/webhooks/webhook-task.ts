import type { Notifications } from "@remit/db";
import type { ApiDeps } from "../context";
import type { PeriodicTask } from "../periodic/runner";
import {
  type DispatcherSettings,
  type DrainReport,
  defaultDispatcherSettings,
  WebhookDispatcher,
} from "./dispatcher";
import { WebhookWake } from "./wake";

export interface WebhookTaskSettings
  extends Partial<Omit<DispatcherSettings, "secretKey" | "policy">> {
  /** The database's LISTEN/NOTIFY, so that a commit in any API process wakes the dispatcher. */
  notifications?: Notifications;
  /** The longest the dispatcher sleeps when nothing is announced (retries coming due). */
  pollMs?: number;
  onDrained?: (report: DrainReport) => void;
}

/**
 * The dispatcher as a periodic task: it runs in the one API process that holds the leader lock
 * (docs/scaling.md), drains what is due, then sleeps until a commit announces new deliveries
 * or the poll interval ends. Two processes briefly both running it (a leader cut off from the
 * database) is safe: claims skip each other's locked rows, and the worst case is a second send
 * of an event, which at-least-once delivery allows.
 */
export function webhookTask(
  deps: Pick<ApiDeps, "db" | "webhooks">,
  settings: WebhookTaskSettings = {},
): PeriodicTask & { dispatcher: WebhookDispatcher; wake: WebhookWake } {
  const { notifications, pollMs = 5000, onDrained, ...rest } = settings;
  const dispatcher = new WebhookDispatcher(deps.db, {
    ...defaultDispatcherSettings,
    ...rest,
    secretKey: deps.webhooks.secretKey,
    policy: deps.webhooks.policy,
  });
  const wake = new WebhookWake(notifications);
  return {
    name: "webhooks",
    // The next run starts right after a wait ends: the wait is the pause.
    everyMs: 10,
    runAtStart: true,
    dispatcher,
    wake,
    run: async (signal) => {
      // Listening starts before the drain, so a commit during it is not missed; it is not
      // awaited, so a LISTEN that hangs can delay a wake-up but never stop deliveries.
      void wake.listen().catch(() => {});
      // Not `onDrained?.(await drain())`: an optional call skips its arguments when absent.
      const report = await dispatcher.drain(signal);
      onDrained?.(report);
      await wake.wait(pollMs, signal);
    },
  };
}
