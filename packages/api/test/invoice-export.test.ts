import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEInvoiceXml } from "@remit/extract/einvoice";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportResponse } from "../src";
import { escapeXml, serializeXml } from "../src/export/xml";
import { crc32, zipStored } from "../src/export/zip";
import { callerFor, createWorld, type Person, signUp, type World } from "./harness";

/*
 * GET /api/invoices/export: the CSV the CLI always wrote, EN 16931 UBL that this repo's own
 * e-invoice reader reads back, a ZIP for many, nothing of another tenant, and the chain's
 * refusals (no credential, no membership).
 */

let world: World;
let approved: { id: string; number: string };
let open: { id: string; number: string };
let credit: { id: string; number: string };

const as = (person: Person) => callerFor(world.deps, person);

function get(person: Person | null, query: string): Promise<Response> {
  return exportResponse(
    world.deps,
    new Request(`${world.deps.baseURL}/api/invoices/export?${query}`, {
      headers: person?.headers ?? new Headers(),
    }),
    { requestId: crypto.randomUUID(), ip: "127.0.0.1" },
  );
}

beforeAll(async () => {
  world = await createWorld();
  const admin = await as(world.a.admin);
  const user = await as(world.a.user);
  const supplier = await admin.supplier.create({
    name: 'Müller & <Söhne> "GmbH"',
    taxId: "DE123456789",
    address: "Hauptstraße 1, 10115 Berlin",
    bankAccount: "DE89 3704 0044 0532 0130 00",
    bankCode: "COBADEFFXXX",
  });
  const number = `A&B-<${crypto.randomUUID().slice(0, 6)}>`;
  const invoice = await user.invoice.create({
    supplierId: supplier?.id,
    invoiceNumber: number,
    invoiceDate: "2026-11-05",
    dueDate: "2026-12-05",
    currency: "EUR",
    subtotal: "100.00",
    taxAmount: "19.00",
    total: "119.00",
    lineItems: [
      {
        description: "Widgets <small> & 'round'",
        quantity: "2",
        unitPrice: "50.00",
        amount: "100.00",
      },
    ],
  });
  await user.invoice.submit({ id: invoice.id });
  await (await as(world.a.verifier)).invoice.verify({ id: invoice.id });
  await admin.invoice.approve({ id: invoice.id });
  approved = { id: invoice.id, number };
  // After approval the supplier is renamed: the export keeps what was approved.
  if (supplier) await admin.supplier.update({ id: supplier.id, data: { name: "Renamed Later" } });

  const draft = await user.invoice.create({
    supplierId: supplier?.id,
    invoiceNumber: "OPEN-1",
    invoiceDate: "2026-11-10",
    currency: "EUR",
    total: "50.00",
    lineItems: [],
  });
  open = { id: draft.id, number: "OPEN-1" };
  const note = await user.invoice.create({
    supplierId: supplier?.id,
    invoiceNumber: "CN-7",
    invoiceDate: "2026-11-11",
    currency: "EUR",
    subtotal: "-10.00",
    taxAmount: "-1.90",
    total: "-11.90",
    lineItems: [],
  });
  credit = { id: note.id, number: "CN-7" };
});

afterAll(async () => {
  await world?.close();
});

describe("CSV", () => {
  it("is what the CLI wrote from invoice.list, as an attachment that is never cached", async () => {
    const response = await get(world.a.user, "format=csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="invoices-all-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    // The columns and quoting `remit export` always wrote, newest first; the approved invoice
    // shows its supplier as approved, the drafts the supplier as it is now.
    const lines = (await response.text()).split("\n");
    expect(lines).toHaveLength(5);
    expect(lines.slice(0, 3)).toEqual([
      '"id","status","invoice_number","supplier","invoice_date","due_date","currency","total","approved_at","paid_at","payment_reference"',
      `"${credit.id}","draft","CN-7","Renamed Later","2026-11-11","","EUR","-11.90","","",""`,
      `"${open.id}","draft","OPEN-1","Renamed Later","2026-11-10","","EUR","50.00","","",""`,
    ]);
    expect(lines[3]).toMatch(
      new RegExp(
        `^"${approved.id}","approved_to_ap","${approved.number}","Müller & <Söhne> ""GmbH""",` +
          `"2026-11-05","2026-12-05","EUR","119.00","\\d{4}-\\d{2}-\\d{2}T[^"]+Z","",""$`,
      ),
    );
    expect(lines[4]).toBe("");
  });

  it("filters by status and by selected ids", async () => {
    const byStatus = await (await get(world.a.user, "format=csv&status=approved_to_ap")).text();
    expect(byStatus.trim().split("\n")).toHaveLength(2);
    expect(byStatus).toContain(approved.id);
    const selected = await (await get(world.a.user, `ids=${open.id},${credit.id}`)).text();
    expect(selected).toContain(open.id);
    expect(selected).toContain(credit.id);
    expect(selected).not.toContain(approved.id);
  });
});

describe("UBL", () => {
  it("writes an EN 16931 invoice that the e-invoice reader reads back", async () => {
    const response = await get(world.a.admin, `format=ubl&ids=${approved.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="A_B-_/);
    const xml = await response.text();
    expect(xml).toContain("&lt;Söhne&gt;");
    const { eInvoice, fields, warnings } = readEInvoiceXml(new TextEncoder().encode(xml));
    // The reader's own EN 16931 checks (sums, dates, VAT rows) find nothing to say.
    expect(warnings).toEqual([]);
    expect(eInvoice.syntax).toBe("ubl-invoice");
    expect(eInvoice.invoiceNumber).toBe(approved.number);
    expect(eInvoice.issueDate).toBe("2026-11-05");
    expect(eInvoice.dueDate).toBe("2026-12-05");
    expect(eInvoice.currency).toBe("EUR");
    expect(eInvoice.totals.grandTotal).toBe("119.00");
    expect(eInvoice.totals.taxTotal).toBe("19.00");
    expect(eInvoice.totals.taxBasisTotal).toBe("100.00");
    expect(eInvoice.seller.name).toBe('Müller & <Söhne> "GmbH"');
    expect(eInvoice.seller.vatId).toBe("DE123456789");
    expect(eInvoice.seller.countryCode).toBe("DE");
    expect(eInvoice.paymentMeans[0]?.iban).toBe("DE89370400440532013000");
    expect(eInvoice.vatBreakdown[0]?.rate).toBe("19");
    expect(eInvoice.lines).toHaveLength(1);
    expect(eInvoice.lines[0]?.name).toBe("Widgets <small> & 'round'");
    expect(fields.total?.value).toBe("119.00");
  });

  it("writes a credit note for a negative total, read back with the ledger's sign", async () => {
    const xml = await (await get(world.a.user, `format=ubl&ids=${credit.id}`)).text();
    const { eInvoice } = readEInvoiceXml(new TextEncoder().encode(xml));
    expect(eInvoice.syntax).toBe("ubl-credit-note");
    expect(eInvoice.isCreditNote).toBe(true);
    expect(eInvoice.invoiceNumber).toBe("CN-7");
    expect(eInvoice.totals.grandTotal).toBe("-11.90");
  });

  it("packs two invoices into a ZIP that unzip lists and extracts", async () => {
    const response = await get(world.a.user, `format=ubl&ids=${approved.id},${open.id}`);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toMatch(/invoices-selected-.*\.zip/);
    const dir = mkdtempSync(join(tmpdir(), "remit-export-"));
    const path = join(dir, "export.zip");
    writeFileSync(path, new Uint8Array(await response.arrayBuffer()));
    const listing = execFileSync("unzip", ["-Z1", path], { encoding: "utf8" }).trim().split("\n");
    const approvedName = `${approved.number.replace(/[^\w.-]+/g, "_")}.xml`;
    expect(listing.sort()).toEqual([approvedName, "OPEN-1.xml"].sort());
    execFileSync("unzip", ["-tq", path]); // CRCs hold
    const openXml = execFileSync("unzip", ["-p", path, "OPEN-1.xml"]);
    expect(readEInvoiceXml(new Uint8Array(openXml)).eInvoice.totals.grandTotal).toBe("50.00");
  });
});

describe("isolation and permission", () => {
  it("exports nothing of another tenant: its ids are a 404, its rows never appear", async () => {
    const response = await get(world.b.admin, `format=ubl&ids=${approved.id}`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(approved.number);
    expect((await get(world.b.admin, `format=csv&ids=${approved.id},${open.id}`)).status).toBe(404);
    const all = await (await get(world.b.admin, "format=csv")).text();
    expect(all.trim().split("\n")).toHaveLength(1);
    // Mixed: only the caller's own invoice of the two.
    const own = await (await as(world.b.admin)).invoice.create({
      invoiceNumber: "B-1",
      lineItems: [],
    });
    const mixed = await (await get(world.b.admin, `ids=${own.id},${approved.id}`)).text();
    expect(mixed).toContain(own.id);
    expect(mixed).not.toContain(approved.id);
  });

  it("refuses a caller without a credential or without a tenant, and bad input, in a sentence", async () => {
    expect((await get(null, "format=csv")).status).toBe(401);
    const stranger = await signUp(world.deps, "stranger");
    const refused = await get(stranger, "format=csv");
    // Signed in, member of no tenant: refused before any read.
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain(approved.id);
    const bad = await get(world.a.user, "format=pdf");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/format=csv or ubl/);
  });
});

describe("writers", () => {
  it("escapes every value and keeps characters XML cannot carry out", () => {
    expect(escapeXml(`a<b>&"c'\u0001`)).toBe("a&lt;b&gt;&amp;&quot;c&apos;");
    const xml = serializeXml({ name: "r", attributes: { v: '"><x' }, children: "</r>" });
    expect(xml).toContain('<r v="&quot;&gt;&lt;x">&lt;/r&gt;</r>');
    expect(() => serializeXml({ name: "bad name" })).toThrow();
  });

  it("computes the standard CRC-32 and writes an empty archive", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(zipStored([])).toHaveLength(22);
  });
});

describe("paid", () => {
  it("exports a paid invoice with its payment date and reference", async () => {
    await (await callerFor(world.deps, world.a.verifier)).invoice.markPaid({
      id: approved.id,
      paidAt: "2026-11-20T09:30:00Z",
      reference: "TRX 42",
    });
    const csv = await (await get(world.a.user, "format=csv&status=paid")).text();
    const lines = csv.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      new RegExp(`^"${approved.id}","paid",.*,"2026-11-20T09:30:00.000Z","TRX 42"$`),
    );
  });
});
