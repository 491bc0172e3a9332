import { createServer } from "node:http";
import postgres from "postgres";

/*
 * The bench's yardstick (pnpm bench:api): node:http and postgres.js, nothing else. It answers the
 * same question as invoice.list's first page with the very statement the API sends for it (the
 * bench hands over its text, parameters and column names, from plainFirstPageStatement in
 * @remit/api), in one transaction as remit_app bound to the tenant (so RLS does the same work),
 * as JSON objects with the API's field names. No authentication, no tenant check, no tab counts,
 * no allowed actions, no audit, no framework: what the API costs on top of this is what
 * bench:api measures.
 */

const [url, tenantId, userId, statementJson] = process.argv.slice(2);
if (!url || !tenantId || !userId || !statementJson) {
  throw new Error("usage: bare-server <url> <tenant> <user> <statement as JSON>");
}
const statement = JSON.parse(statementJson) as {
  text: string;
  parameters: postgres.ParameterOrJSON<never>[];
  columns: string[];
  limit: number;
};
const sql = postgres(url, { max: 10, onnotice: () => {} });

const server = createServer(async (request, response) => {
  try {
    const rows = await sql.begin(async (tx) => {
      await tx`select set_config('role', 'remit_app', true),
        set_config('app.tenant_id', ${tenantId}, true),
        set_config('app.user_id', ${userId}, true),
        set_config('app.role', 'admin', true)`;
      // Prepared, as the API's statements are; rows as arrays, named below by the API's fields.
      return tx.unsafe(statement.text, statement.parameters, { prepare: true }).values();
    });
    const items = rows.slice(0, statement.limit).map((row) => {
      const item: Record<string, unknown> = {};
      for (let i = 0; i < statement.columns.length; i++) item[statement.columns[i] ?? i] = row[i];
      return item;
    });
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ items }));
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
