import { asAppRole, type Database, queryRows } from "@remit/db";
import { sql } from "drizzle-orm";
import type { MailboxRef } from "./poll-mailbox";

/**
 * THE point of trust for IMAP polling: which tenant a mailbox belongs to is read here and nowhere
 * else, through the one SECURITY DEFINER function that may look across tenants (drizzle/0013
 * due_imap_mailboxes: enabled mailboxes of active tenants whose next poll is due, as ids only).
 * Everything after it (the settings, the password, the import) runs under withTenant as the
 * tenant named here.
 */
export async function dueImapMailboxes(db: Database, max: number): Promise<MailboxRef[]> {
  const rows = await asAppRole(db, (tx) =>
    queryRows<{ tenant_id: string; mailbox_id: string }>(
      tx,
      sql`select * from public.due_imap_mailboxes(${max})`,
    ),
  );
  return rows.map((row) => ({ tenantId: row.tenant_id, mailboxId: row.mailbox_id }));
}
