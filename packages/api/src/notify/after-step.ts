import type { TenantDb } from "@remit/db";
import type { ApiDeps } from "../context";
import { type NextStep, nextStepOf } from "./next-step";

type StepContext = {
  deps: ApiDeps;
  db: TenantDb;
  tenantId: string;
  afterCommit: Array<() => Promise<void>>;
};

/**
 * Queues the mail of an invoice's new step for after the commit: who can act next is decided
 * now, in the step's transaction; nothing is looked up when notifications are off.
 */
export async function notifyNextStep(
  ctx: StepContext,
  invoice: Parameters<typeof nextStepOf>[2] | (() => NextStep),
) {
  const notifier = ctx.deps.notifier;
  if (!notifier) return;
  const step =
    typeof invoice === "function" ? invoice() : await nextStepOf(ctx.db, ctx.tenantId, invoice);
  if (!step) return;
  const tenantId = ctx.tenantId;
  ctx.afterCommit.push(async () => notifier.notify(tenantId, step));
}
