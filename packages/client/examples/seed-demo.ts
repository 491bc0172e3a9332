// Creates a demo account, tenant and two approved invoices on a running server, and prints the
// account's session token. Used by CI to run the examples against a live server.

import { createRemitClient, signUp } from "@remit/client";
import { remitUrl } from "./env";

const url = remitUrl;
const email = `demo-${crypto.randomUUID().slice(0, 8)}@example.test`;
const token = await signUp(url, { name: "Demo Admin", email, password: "demo password 123" });
const client = createRemitClient({ url, token });
await client.tenant.create.mutate({
  name: "Demo AP",
  slug: `demo-${crypto.randomUUID().slice(0, 8)}`,
});
// A one-person demo company: one person submits, verifies and approves, which separation of
// duties forbids unless the tenant's admin relaxes it (the invoices then say so).
await client.settings.setSeparationOfDuties.mutate({ enabled: false });
const supplier = await client.supplier.create.mutate({ name: 'Acme "Quoted" GmbH' });
for (const [number, total] of [
  ["DEMO-1", "119.00"],
  ["DEMO-2", "59.50"],
] as const) {
  const invoice = await client.invoice.create.mutate({
    supplierId: supplier?.id,
    invoiceNumber: number,
    invoiceDate: new Date().toISOString().slice(0, 10),
    currency: "EUR",
    total,
    lineItems: [],
  });
  await client.invoice.submit.mutate({ id: invoice.id });
  await client.invoice.verify.mutate({ id: invoice.id });
  await client.invoice.approve.mutate({ id: invoice.id });
}
await client.invoice.create.mutate({ invoiceNumber: "DEMO-DRAFT", lineItems: [] });
console.log(token);
