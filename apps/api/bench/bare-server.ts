import { createServer } from "node:http";
import postgres from "postgres";

/*
 * The bench's yardstick (pnpm bench:api): node:http and postgres.js, nothing else. It answers the
 * same question as invoice.list's first page: one transaction as remit_app bound to the tenant
 * (so RLS does the same work), the same columns and join, the same page size, as JSON. No
 * authentication, no tenant check, no audit, no framework: what the API costs on top of this is
 * what bench:api measures.
 */

const [url, tenantId, userId] = process.argv.slice(2);
if (!url || !tenantId || !userId) throw new Error("usage: bare-server <url> <tenant> <user>");
const sql = postgres(url, { max: 10, onnotice: () => {} });

const server = createServer(async (request, response) => {
  try {
    const rows = await sql.begin(async (tx) => {
      await tx`select set_config('role', 'remit_app', true),
        set_config('app.tenant_id', ${tenantId}, true),
        set_config('app.user_id', ${userId}, true),
        set_config('app.role', 'admin', true)`;
      return tx`
        select i.id, i.status, i.is_locked, i.invoice_number, i.invoice_date, i.due_date,
          i.currency, i.total, i.supplier_id, s.name as supplier_name, i.warnings,
          (select j.status from ocr_jobs j
             where j.tenant_id = i.tenant_id and j.invoice_id = i.id
             order by j.created_at desc limit 1) as ocr_status,
          i.created_by, i.created_at, i.approved_at
        from invoices i
        left join suppliers s on s.tenant_id = i.tenant_id and s.id = i.supplier_id
        order by i.created_at desc, i.id desc
        limit 51`;
    });
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ items: rows.slice(0, 50) }));
  } catch (error) {
    response.writeHead(500);
    response.end(String(error));
  }
  void request;
});
// Any free port on loopback; the bench learns which from the message.
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
});
process.on("SIGTERM", () => {
  server.close();
  void sql.end().then(() => process.exit(0));
});
