import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { clientFor } from "./http";
import type { World } from "./world";

/*
 * What the victim sees of its own tenant, through its own reads: every invoice with its lines,
 * suppliers, comments, members, saved views, its own audit trail (less the isolation.violation rows the
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
    views: await victim.view.list.query(),
    imapMailboxes: await victim.imapMailbox.list.query(),
    webhooks: await victim.webhook.list.query(),
    webhookDeliveries: await victim.webhook.deliveries.query({ limit: 100 }),
    audit: await auditTrail(victim),
    objects: objectsUnder(join(objectsDir, world.victim.id)),
  };
  // One hash per part, so that a change can say where it is.
  return Object.entries(state)
    .map(
      ([key, value]) =>
        `${key}:${createHash("sha256").update(JSON.stringify(value)).digest("hex")}`,
    )
    .join("\n");
}

/** The parts of the victim's reads that differ between two fingerprints. */
export function changedParts(before: string, after: string): string[] {
  const was = new Set(before.split("\n"));
  return after
    .split("\n")
    .filter((line) => !was.has(line))
    .map((line) => line.split(":")[0] ?? line);
}

/**
 * The victim's whole audit trail less the monitor's rows, page by page: a window of the latest
 * 200 would slide as the monitor adds isolation.violation rows, and look like a change.
 */
async function auditTrail(victim: ReturnType<typeof clientFor>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: { createdAt: Date; id: string } | undefined;
  for (let page = 0; page < 100; page++) {
    const answer = await victim.audit.list.query({ limit: 200, cursor });
    ids.push(...answer.items.filter((r) => r.action !== "isolation.violation").map((r) => r.id));
    if (!answer.nextCursor) return ids;
    cursor = answer.nextCursor;
  }
  throw new Error("the victim's audit trail has more than 20,000 rows");
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
