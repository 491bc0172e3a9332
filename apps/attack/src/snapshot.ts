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
  // Every page of the audit trail, not the newest 200: isolation.violation rows keep being added
  // to the victim's trail during the run, and a fixed window would slide over older rows.
  const auditIds: string[] = [];
  let cursor: { createdAt: Date; id: string } | undefined;
  for (let page = 0; page < 50; page++) {
    const audit = await victim.audit.list.query({ limit: 200, cursor });
    auditIds.push(
      ...audit.items.filter((r) => r.action !== "isolation.violation").map((r) => r.id),
    );
    if (!audit.nextCursor) break;
    cursor = audit.nextCursor;
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
    imapMailboxes: await victim.imapMailbox.list.query(),
    audit: auditIds,
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
