import { seal, unseal } from "../../secrets/sealed-secret";

/*
 * A mailbox's password, sealed for its row: the associated data names the tenant and the
 * mailbox, so a sealed value copied to another row (or another tenant) does not open.
 */

const boundTo = (ref: { tenantId: string; mailboxId: string }) =>
  `imap-password:${ref.tenantId}:${ref.mailboxId}`;

export function sealMailboxPassword(
  key: Buffer,
  ref: { tenantId: string; mailboxId: string },
  password: string,
): string {
  return seal(key, password, boundTo(ref));
}

export function openMailboxPassword(
  key: Buffer,
  ref: { tenantId: string; mailboxId: string },
  sealed: string,
): string {
  return unseal(key, sealed, boundTo(ref));
}
