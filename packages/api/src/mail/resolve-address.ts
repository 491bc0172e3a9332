import { asAppRole, type Database, queryRows } from "@remit/db";
import { sql } from "drizzle-orm";
import { hashMailToken, parseMailAddress } from "./mail-token";

export interface MailTarget {
  tenantId: string;
  addressId: string;
}

/**
 * THE point of trust for inbound mail: an address at our domain becomes a tenant id here and
 * nowhere else, through the one SECURITY DEFINER function that may answer it across tenants
 * (drizzle/0011 resolve_mail_address: an active address of an active tenant, slug and token hash
 * both matching). It answers ids only; everything after it runs under withTenant as that tenant.
 */
export async function resolveMailAddress(
  db: Database,
  address: string,
  domain: string,
): Promise<MailTarget | null> {
  const parsed = parseMailAddress(address, domain);
  if (!parsed) return null;
  const rows = await asAppRole(db, (tx) =>
    queryRows<{ tenant_id: string; address_id: string }>(
      tx,
      sql`select * from public.resolve_mail_address(${parsed.slug}, ${hashMailToken(parsed.token)})`,
    ),
  );
  const row = rows[0];
  return row ? { tenantId: row.tenant_id, addressId: row.address_id } : null;
}
