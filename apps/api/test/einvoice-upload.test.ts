import { createRemitClient, signUp } from "@remit/client";
import { documents, invoices } from "@remit/db";
import { hostileXml, ublInvoice } from "@remit/testkit";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveServer, startLiveServer } from "./live-server";

/*
 * [3/7] XML e-invoices through the upload door: accepted when the bytes are an e-invoice the
 * reader recognises, stored exactly as received; any other XML, and hostile or oversized XML,
 * refused with a sentence and nothing stored.
 */

let live: LiveServer;

beforeAll(async () => {
  live = await startLiveServer();
});

afterAll(async () => {
  await live?.close();
});

async function tenantUser(name: string) {
  const token = await signUp(live.url, {
    name,
    email: `${name}-${crypto.randomUUID().slice(0, 8)}@example.test`,
    password: "correct horse battery",
  });
  const client = createRemitClient({ url: live.url, token });
  const tenant = await client.tenant.create.mutate({
    name,
    slug: `${name}-${crypto.randomUUID().slice(0, 8)}`,
  });
  return { token, client, tenantId: tenant.id };
}

async function upload(token: string, body: string | Buffer, filename: string, type: string) {
  const form = new FormData();
  form.append(
    "file",
    new Blob([typeof body === "string" ? body : new Uint8Array(body)], { type }),
    filename,
  );
  const response = await fetch(`${live.url}/api/invoices/upload`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

async function rowsOf(tenantId: string) {
  return live.handle.db.select().from(invoices).where(eq(invoices.tenantId, tenantId));
}

describe("XML e-invoice uploads", () => {
  it("stores a UBL invoice as received, typed application/xml, and queues its read", async () => {
    const a = await tenantUser("xml");
    const xml = ublInvoice({ number: "UBL-UP-1" });
    for (const [name, type] of [
      ["invoice.xml", "application/xml"],
      ["credit.xml", "text/xml"],
    ] as const) {
      const sent = name === "credit.xml" ? ublInvoice({ number: "CN-1", creditNote: true }) : xml;
      const result = await upload(a.token, sent, name, type);
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      const [document] = await live.handle.db
        .select()
        .from(documents)
        .where(eq(documents.invoiceId, result.body.invoiceId ?? ""));
      expect(document).toMatchObject({ contentType: "application/xml", originalFilename: name });
      expect(document?.storageKey.endsWith("/original.xml")).toBe(true);
      const { url } = await a.client.invoice.fileUrl.query({ id: result.body.invoiceId ?? "" });
      const download = await fetch(url, { headers: { authorization: `Bearer ${a.token}` } });
      expect(download.headers.get("content-type")).toBe("application/xml");
      expect(await download.text()).toBe(sent);
    }
  });

  it("refuses XML that is not an e-invoice, with a sentence, storing nothing", async () => {
    const a = await tenantUser("notxml");
    for (const xml of [
      `<?xml version="1.0"?><note><to>Tove</to></note>`,
      `<rss version="2.0"><channel><title>x</title></channel></rss>`,
    ]) {
      const result = await upload(a.token, xml, "feed.xml", "application/xml");
      expect(result.status).toBe(415);
      expect(result.body.error).toMatch(/XML that is not an e-invoice/);
    }
    expect(await rowsOf(a.tenantId)).toEqual([]);
  });

  it.each(hostileXml)("refuses $label cleanly", async ({ xml }) => {
    const a = await tenantUser("hostile");
    const result = await upload(a.token, xml, "evil.xml", "application/xml");
    expect([413, 415, 422]).toContain(result.status);
    expect(result.body.error).toMatch(/\w+ \w+ \w+/);
    expect(JSON.stringify(result.body)).not.toMatch(/passwd|lollol|stack/i);
    expect(await rowsOf(a.tenantId)).toEqual([]);
  });

  it("refuses XML over the reader's 5 MB cap with 413", async () => {
    const a = await tenantUser("bigxml");
    const padded = ublInvoice().replace(
      "<cbc:BuyerReference>PO-77</cbc:BuyerReference>",
      `<cbc:Note>${"x".repeat(6 * 1024 * 1024)}</cbc:Note><cbc:BuyerReference>PO-77</cbc:BuyerReference>`,
    );
    const result = await upload(a.token, padded, "big.xml", "application/xml");
    expect(result.status).toBe(413);
    expect(await rowsOf(a.tenantId)).toEqual([]);
  });

  it("keeps HTML out, even with an XML declaration", async () => {
    const a = await tenantUser("htmlxml");
    const result = await upload(
      a.token,
      `<?xml version="1.0"?><html><body><script>alert(1)</script></body></html>`,
      "page.xml",
      "application/xml",
    );
    expect(result.status).toBe(415);
    expect(await rowsOf(a.tenantId)).toEqual([]);
  });
});
