import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { clientFor } from "./http";
import type { World } from "./world";

/*
 * What the victim sees of its own tenant, through its own reads: every invoice with its lines,
 * suppliers, comments, members, its own audit trail (less the isolation.violation rows the
 * monitor adds, which are expected to grow), the tenant itself, and the stored objects under
 * its prefix. Equal before and after an attack means the attack changed nothing of the victim.
 */
export async function victimFingerprint(world: World, objectsDir: string): Promise<string> {
  const victim = clientFor(world.url, { bearer: world.victim.adminToken }, "victim-reads");
  const list = await victim.invoice.list.query({ limit: 100 });
  const invoices = await Promise.all(list.items.map((i) => victim.invoice.get.query({ id: i.id })));
  const comments = await Promise.all(
    list.items.map((i) => victim.comment.list.query({ invoiceId: i.id })),
  );
  // The whole trail, page by page (bounded): one window of the newest rows would slide as the
  // monitor's violation rows pile up, and the fingerprint would change with no change made.
  const audit: { items: Array<{ id: string; action: string }> } = { items: [] };
  let cursor: { createdAt: Date; id: string } | undefined;
  for (let page = 0; page < 100; page++) {
    const got = await victim.audit.list.query({ limit: 200, cursor });
    audit.items.push(...got.items);
    if (!got.nextCursor) break;
    cursor = got.nextCursor;
  }
  const state = {
    tenant: await victim.tenant.current.query(),
    settings: await victim.settings.get.query(),
    invoices,
    counts: list.counts,
    comments,
    suppliers: await victim.supplier.list.query({ limit: 500 }),
    members: await victim.member.list.query(),
    mail: await victim.mail.settings.query(),
    mailMessages: await victim.mail.messages.query({ limit: 200 }),
    audit: audit.items.filter((r) => r.action !== "isolation.violation").map((r) => r.id),
    objects: objectsUnder(join(objectsDir, world.victim.id)),
  };
  return createHash("sha256").update(JSON.stringify(state)).digest("hex");
}

function objectsUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
  } catch {
    return [];
  }
}
