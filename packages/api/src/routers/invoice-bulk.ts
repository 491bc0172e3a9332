import type { Permission } from "@remit/auth";
import { z } from "zod";
import type { Context } from "../context";
import { requirePermission } from "../request/steps";
import { createCallerFactory, router } from "../trpc";
import { lifecycle } from "./invoice-lifecycle";

/*
 * invoice.bulk: one step (submit, verify, approve, reject, delete) for up to 200 invoices of the
 * inbox's selection. Each id goes through the very procedure a single click calls, by a caller of
 * its own: the membership and permission checks, its own tenant transaction under RLS, the
 * database's lifecycle, lock and duty triggers, the audit row, the live event. One invoice's
 * failure rolls back that invoice only, and comes back as its own sentence; the others stand.
 * An id of another tenant is not found, exactly as it is one by one (and the isolation monitor
 * sees that call as it sees any other).
 *
 * The call itself holds no transaction: a step's transaction must not wait on another's. The
 * permission is checked once up front too, so that a role without it learns so in one sentence
 * rather than 200.
 */

export const bulkActions = ["submit", "verify", "approve", "reject", "delete"] as const;
export type BulkAction = (typeof bulkActions)[number];

const permissionOf: Record<BulkAction, Permission> = {
  submit: "invoice:submit",
  verify: "invoice:verify",
  approve: "invoice:approve",
  reject: "invoice:verify",
  delete: "invoice:delete",
};

export const maxBulkIds = 200;

export const bulkInput = z
  .object({
    action: z.enum(bulkActions),
    ids: z
      .array(z.uuid())
      .min(1, "select at least one invoice")
      .max(maxBulkIds, `at most ${maxBulkIds} invoices at once`)
      .refine((ids) => new Set(ids).size === ids.length, "an invoice is selected twice"),
    /** Required to reject, as it is one by one. */
    reason: z.string().trim().min(1).max(2000).optional(),
    /** Submit and approve: the standing warnings of every selected invoice are acknowledged. */
    acknowledgeWarnings: z.boolean().default(false),
  })
  .refine((input) => input.action !== "reject" || input.reason, {
    message: "say why the invoices are rejected",
    path: ["reason"],
  });

export type BulkResult =
  | { id: string; ok: true; status: string | null }
  | { id: string; ok: false; code: string; message: string };

function stepInput(input: z.infer<typeof bulkInput>, id: string): Record<string, unknown> {
  switch (input.action) {
    case "submit":
    case "approve":
      return { id, acknowledgeWarnings: input.acknowledgeWarnings };
    case "reject":
      return { id, reason: input.reason };
    default:
      return { id };
  }
}

// The same paths as one by one (invoice.verify, …): metrics, logs and the monitor say so.
const createStepCaller = createCallerFactory(router({ invoice: router(lifecycle) }));

/*
 * A procedure, not a factory of one: its declared type must be nameable where the typed client
 * bundles the router's declarations (an exported function's inferred return type is not).
 */
/** invoice.bulk's work, with plain types: the procedure itself is declared in invoice.ts. */
export async function runBulk(
  ctx: Context & { role: Parameters<typeof requirePermission>[0] },
  input: z.infer<typeof bulkInput>,
): Promise<{ results: BulkResult[]; failed: number }> {
  requirePermission(ctx.role, permissionOf[input.action]);
  const base: Context = {
    deps: ctx.deps,
    headers: ctx.headers,
    requestId: ctx.requestId,
    ip: ctx.ip,
    caller: ctx.caller,
    service: ctx.service,
    rejectedCredential: ctx.rejectedCredential,
  };
  const results: BulkResult[] = [];
  for (const id of input.ids) {
    const call = createStepCaller(base).invoice[input.action] as (
      stepInput: Record<string, unknown>,
    ) => Promise<{ status?: string } | { id: string }>;
    try {
      const after = await call(stepInput(input, id));
      results.push({ id, ok: true, status: "status" in after ? (after.status ?? null) : null });
    } catch (error) {
      // A tRPC error by name: importing @trpc/server here would make this procedure's declared
      // type unnameable where the typed client bundles it (TS2742).
      const known = error instanceof Error && error.name === "TRPCError";
      results.push({
        id,
        ok: false,
        code: known ? String((error as Error & { code: unknown }).code) : "INTERNAL_SERVER_ERROR",
        message: known ? (error as Error).message : "internal error",
      });
    }
  }
  return { results, failed: results.filter((r) => !r.ok).length };
}
