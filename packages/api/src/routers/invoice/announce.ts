import type { ApiDeps } from "../../context";

/** Tells the tenant's live subscribers, once the change has committed. */
export function announce(
  ctx: { deps: ApiDeps; tenantId: string; afterCommit: Array<() => Promise<void>> },
  invoiceId: string,
  status: string,
  kind: "invoice.created" | "invoice.updated" = "invoice.updated",
) {
  ctx.afterCommit.push(async () =>
    ctx.deps.events.publish(ctx.tenantId, { invoiceId, kind, status }),
  );
}
