import { withTenant } from "@remit/db";
import type { ObjectStore } from "@remit/storage";
import type { ApiDeps } from "../context";
import { objectIsOwned } from "../queries/documents";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface SweepReport {
  checked: number;
  removed: string[];
}

/**
 * Removes objects that no row owns: left behind when the process died between storing a file
 * and committing its rows, or between committing a delete and removing the file. Only objects
 * older than the grace period are considered, so an upload in flight is never touched. Each
 * lookup runs under RLS in the object's own tenant (its key says which), like any request.
 */
export async function sweepOrphans(
  deps: Pick<ApiDeps, "db"> & { store: ObjectStore },
  options: { graceMs: number; now?: number },
): Promise<SweepReport> {
  const now = options.now ?? Date.now();
  const report: SweepReport = { checked: 0, removed: [] };
  for await (const item of deps.store.list()) {
    if (now - item.modifiedAt.getTime() < options.graceMs) continue;
    const [tenantId, userId, invoiceId, name] = item.key.split("/");
    if (
      !tenantId ||
      !userId ||
      !invoiceId ||
      !name ||
      ![tenantId, userId, invoiceId].every((s) => uuid.test(s))
    ) {
      continue; // not a Remit key: not ours to judge
    }
    report.checked++;
    const owned = await withTenant(deps.db, { tenantId, userId, role: "user" }, (tx) =>
      objectIsOwned(tx, { key: item.key, invoiceId, original: name.startsWith("original.") }),
    );
    if (!owned) {
      await deps.store.delete(item.key);
      report.removed.push(item.key);
    }
  }
  return report;
}
