import { readdirSync } from "node:fs";
import { join } from "node:path";
import { issueFileLink } from "@remit/api";
import { createRemitClient, signUp } from "@remit/client";
import { auditLog, documents, invoices, ocrJobs } from "@remit/db";
import type { TestDatabase } from "@remit/db/testing";
import { pngChunk, pngWith, rawPdf, zipWith } from "@remit/testkit";
import { eq, sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { pdf, pdfWithJavaScript, png } from "./files";
import { type LiveServer, startLiveServer } from "./live-server";

/*
 * Uploads are hostile input. Every bad case asserts a clear error and that nothing was stored:
 * no invoice, no document, no object left in the store.
 */

let live: LiveServer;
let handle: TestDatabase;
let url: string;
let objectsRoot: string;
const password = "correct horse battery";

beforeAll(async () => {
  live = await startLiveServer();
  handle = live.handle;
  url = live.url;
  objectsRoot = live.objectsRoot;
});

afterAll(async () => {
  await live?.close();
});

async function tenantUser(name: string) {
  const token = await signUp(url, {
    name,
    email: `${name}-${crypto.randomUUID().slice(0, 8)}@example.test`,
    password,
  });
  const client = createRemitClient({ url, token });
  const tenant = await client.tenant.create.mutate({
    name,
    slug: `${name}-${crypto.randomUUID().slice(0, 8)}`,
  });
  return { token, client, tenantId: tenant.id };
}

interface Part {
  filename: string;
  type: string;
  data: Buffer;
}

async function upload(token: string, parts: Part[]) {
  const form = new FormData();
  for (const p of parts)
    form.append("file", new Blob([new Uint8Array(p.data)], { type: p.type }), p.filename);
  const response = await fetch(`${url}/api/invoices/upload`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Everything a tenant has stored: rows and objects. */
async function storedFor(tenantId: string) {
  const objects = (() => {
    try {
      return readdirSync(join(objectsRoot, tenantId), { recursive: true }).filter((f) =>
        String(f).includes("original"),
      );
    } catch {
      return [];
    }
  })();
  const rows = await handle.db
    .select({ id: invoices.id })
    .from(invoices)
    .where(eq(invoices.tenantId, tenantId));
  const docs = await handle.db
    .select({ id: documents.id })
    .from(documents)
    .where(eq(documents.tenantId, tenantId));
  return { objects: objects.length, invoices: rows.length, documents: docs.length };
}

describe("a good upload", () => {
  it("stores the file and its rows together, and serves it back through a signed link", async () => {
    const a = await tenantUser("uploader");
    const file = await pdf();
    const result = await upload(a.token, [
      { filename: "Rechnung März.pdf", type: "application/pdf", data: file },
    ]);
    expect(result.status).toBe(201);
    const invoiceId = String(result.body.invoiceId);
    const [document] = await handle.db
      .select()
      .from(documents)
      .where(eq(documents.invoiceId, invoiceId));
    expect(document).toMatchObject({
      contentType: "application/pdf",
      byteSize: file.length,
      pageCount: 1,
      originalFilename: "Rechnung März.pdf",
    });
    expect(document?.storageKey).toMatch(
      new RegExp(`^${a.tenantId}/[0-9a-f-]{36}/${invoiceId}/original\\.pdf$`),
    );
    expect(
      await handle.db.select().from(ocrJobs).where(eq(ocrJobs.invoiceId, invoiceId)),
    ).toHaveLength(1);
    expect(
      (await handle.db.select().from(auditLog).where(eq(auditLog.entityId, invoiceId))).map(
        (r) => r.action,
      ),
    ).toContain("invoice.upload");

    const { url: link } = await a.client.invoice.fileUrl.query({ id: invoiceId });
    const started = performance.now();
    const download = await fetch(link, { headers: { authorization: `Bearer ${a.token}` } });
    const firstByteMs = performance.now() - started;
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(file)).toBe(true);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    expect(download.headers.get("cache-control")).toBe("private, no-store");
    expect(download.headers.get("content-disposition")).toBe(
      `attachment; filename="Rechnung M_rz.pdf"; filename*=UTF-8''${encodeURIComponent("Rechnung März.pdf")}`,
    );
    expect(firstByteMs).toBeGreaterThan(0);

    // Tampered, pointed at another tenant, or expired: the same 404, even for its holder.
    const asA = { headers: { authorization: `Bearer ${a.token}` } };
    const tampered = new URL(link);
    tampered.searchParams.set("t", crypto.randomUUID());
    expect((await fetch(tampered, asA)).status).toBe(404);
    const otherKey = new URL(link);
    otherKey.searchParams.set(
      "k",
      String(otherKey.searchParams.get("k")).replace(a.tenantId, crypto.randomUUID()),
    );
    expect((await fetch(otherKey, asA)).status).toBe(404);
    const expired = new URL(link);
    expired.searchParams.set("e", String(Math.floor(Date.now() / 1000) - 1));
    expect((await fetch(expired, asA)).status).toBe(404);

    // The valid link, copied: anonymous, or another tenant's member, get the same 404.
    const b = await tenantUser("copier");
    expect((await fetch(link)).status).toBe(404);
    expect((await fetch(link, { headers: { authorization: `Bearer ${b.token}` } })).status).toBe(
      404,
    );
    expect((await fetch(link, asA)).status).toBe(200);

    // Deleting the draft deletes its file.
    await a.client.invoice.delete.mutate({ id: invoiceId });
    expect((await fetch(link, asA)).status).toBe(404);
    expect((await storedFor(a.tenantId)).objects).toBe(0);
  });

  it("reports the same bytes a second time as a duplicate of the first, stored once", async () => {
    const a = await tenantUser("dup");
    const file = png(40, 20);
    const first = await upload(a.token, [{ filename: "scan.png", type: "image/png", data: file }]);
    const second = await upload(a.token, [
      { filename: "again.png", type: "image/png", data: file },
    ]);
    expect(first.status).toBe(201);
    expect(second).toEqual({
      status: 200,
      body: { invoiceId: first.body.invoiceId, duplicate: true },
    });
    expect(await storedFor(a.tenantId)).toEqual({ objects: 1, invoices: 1, documents: 1 });
  });

  it("keeps a hostile filename as harmless metadata only", async () => {
    const a = await tenantUser("names");
    const names = [
      "../../etc/passwd",
      'quote"and;percent%.pdf',
      `${"x".repeat(10_000)}.pdf`,
      "счёт 請求書 🧾.pdf",
    ];
    for (const [i, filename] of names.entries()) {
      const result = await upload(a.token, [
        { filename, type: "application/octet-stream", data: await pdf(`n${i}`) },
      ]);
      expect(result.status, `${filename.slice(0, 40)}: ${JSON.stringify(result.body)}`).toBe(201);
      const [document] = await handle.db
        .select()
        .from(documents)
        .where(eq(documents.invoiceId, String(result.body.invoiceId)));
      expect(document?.storageKey.endsWith("/original.pdf")).toBe(true);
      const kept = document?.originalFilename ?? "";
      expect(
        [...kept].some(
          (ch) => ch.charCodeAt(0) < 0x20 || ch === "\u007f" || ch === "/" || ch === "\\",
        ),
      ).toBe(false);
      expect((document?.originalFilename ?? "").length).toBeLessThanOrEqual(255);
    }
    const [unicode] = await handle.db
      .select()
      .from(documents)
      .where(eq(documents.originalFilename, "счёт 請求書 🧾.pdf"));
    expect(unicode).toBeDefined();
  });

  it("removes bidi and invisible characters; the name always shows the file's real extension", async () => {
    const a = await tenantUser("disguise");
    const image = await sharp({
      create: { width: 8, height: 8, channels: 3, background: "#777" },
    })
      .jpeg()
      .toBuffer();
    const expectations: Array<[string, Buffer, string]> = [
      ["invoice\u202Efdp.exe", await pdf("rtlo"), "invoicefdp_exe.pdf"],
      ["report.html", await pdf("html"), "report_html.pdf"],
      ["evil\uFF0Ehtml", await pdf("fullwidth dot"), "evil_html.pdf"],
      ["zero\u200Bwidth\u2066 isolate\u2069.pdf", await pdf("zw"), "zerowidth isolate.pdf"],
      ["Rechnung 2024.03.pdf", await pdf("dates"), "Rechnung 2024.03.pdf"],
      ["photo.JPEG", image, "photo.JPEG"],
      ["photo", png(6, 6), "photo.png"],
      ["scan.pdf.", await pdf("trailing dot"), "scan.pdf"],
    ];
    for (const [sent, data, kept] of expectations) {
      const result = await upload(a.token, [
        { filename: sent, type: "application/octet-stream", data },
      ]);
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      const [document] = await handle.db
        .select()
        .from(documents)
        .where(eq(documents.invoiceId, String(result.body.invoiceId)));
      expect(document?.originalFilename).toBe(kept);
      const { url: link } = await a.client.invoice.fileUrl.query({
        id: String(result.body.invoiceId),
      });
      const download = await fetch(link, { headers: { authorization: `Bearer ${a.token}` } });
      const disposition = download.headers.get("content-disposition") ?? "";
      await download.arrayBuffer();
      expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? "")).toBe(kept);
      expect(disposition).not.toMatch(/%E2%80%AE|%E2%81%A6|\u202e/i);
    }
  });

  it("refuses a part header broken by control characters, clearly, storing nothing", async () => {
    const a = await tenantUser("nul");
    const result = await upload(a.token, [
      { filename: "evil\u0000\r\nname.pdf", type: "application/pdf", data: await pdf() },
    ]);
    expect(result).toEqual({
      status: 400,
      body: { error: "the upload could not be read: malformed part header" },
    });
    expect(await storedFor(a.tenantId)).toEqual({ objects: 0, invoices: 0, documents: 0 });
  });
});

describe("failures after the bytes arrived", () => {
  it("removes the stored object when the transaction fails", async () => {
    const a = await tenantUser("faulty");
    // A real database fault, for this tenant only: the document insert is refused.
    await handle.db.execute(
      sql.raw(`create function fail_${a.tenantId.replaceAll("-", "")}() returns trigger language plpgsql as $$
        begin raise exception 'injected fault'; end $$`),
    );
    await handle.db.execute(
      sql.raw(`create trigger fault_${a.tenantId.replaceAll("-", "")} before insert on documents for each row
        when (new.tenant_id = '${a.tenantId}') execute function fail_${a.tenantId.replaceAll("-", "")}()`),
    );
    try {
      const result = await upload(a.token, [
        { filename: "x.pdf", type: "application/pdf", data: await pdf("fault") },
      ]);
      expect(result).toEqual({ status: 500, body: { error: "internal error" } });
      expect(await storedFor(a.tenantId)).toEqual({ objects: 0, invoices: 0, documents: 0 });
    } finally {
      await handle.db.execute(
        sql.raw(`drop trigger fault_${a.tenantId.replaceAll("-", "")} on documents`),
      );
    }
  });

  it("refuses a genuinely expired link", async () => {
    const a = await tenantUser("expiry");
    const result = await upload(a.token, [
      { filename: "e.pdf", type: "application/pdf", data: await pdf("expiry") },
    ]);
    const [document] = await handle.db
      .select()
      .from(documents)
      .where(eq(documents.invoiceId, String(result.body.invoiceId)));
    const link = issueFileLink(live.deps.fileLinks, {
      key: document?.storageKey ?? "",
      tenantId: a.tenantId,
      userId: document?.createdBy ?? "",
      expiresInSeconds: 1,
      contentType: "application/pdf",
      filename: "e.pdf",
    });
    const asA = { headers: { authorization: `Bearer ${a.token}` } };
    expect((await fetch(link, asA)).status).toBe(200);
    // 2.1 s later by the server's clock (it runs in this process). Only Date is faked: the
    // database and every timer run as they do.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 2100 });
    try {
      expect((await fetch(link, asA)).status).toBe(404);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("bad uploads: a clear error, nothing stored", () => {
  const cases: Array<[string, () => Promise<Part[]>, number, RegExp]> = [
    [
      "10 MB + 1 byte",
      async () => [
        {
          filename: "big.pdf",
          type: "application/pdf",
          data: Buffer.concat([
            await pdf(),
            Buffer.alloc(10 * 1024 * 1024 + 1 - (await pdf()).length, 0x20),
          ]),
        },
      ],
      413,
      /larger than 10 MB/,
    ],
    [
      "0 bytes",
      async () => [{ filename: "empty.pdf", type: "application/pdf", data: Buffer.alloc(0) }],
      415,
      /this file is empty/,
    ],
    [
      "a PNG renamed .pdf, sent as application/pdf",
      async () => [{ filename: "scan.pdf", type: "application/pdf", data: png(10, 10) }],
      415,
      /image\/png, not the application\/pdf/,
    ],
    [
      "an executable named .png",
      async () => [
        {
          filename: "photo.png",
          type: "image/png",
          data: Buffer.concat([Buffer.from("MZ"), Buffer.alloc(5000, 1)]),
        },
      ],
      415,
      /executable/,
    ],
    [
      "HTML named .jpg",
      async () => [
        {
          filename: "photo.jpg",
          type: "image/jpeg",
          data: Buffer.from("<!doctype html><script>alert(1)</script>"),
        },
      ],
      415,
      /HTML/,
    ],
    [
      "a PDF/ZIP polyglot",
      async () => [
        {
          filename: "poly.pdf",
          type: "application/pdf",
          data: Buffer.concat([
            await pdf(),
            Buffer.from("PK\x03\x04 hidden.txt PK\x05\x06", "latin1"),
          ]),
        },
      ],
      422,
      /polyglot/,
    ],
    [
      "a truncated PDF",
      async () => [
        { filename: "cut.pdf", type: "application/pdf", data: (await pdf()).subarray(0, 600) },
      ],
      422,
      /truncated or damaged/,
    ],
    [
      "a PDF with JavaScript",
      async () => [
        { filename: "js.pdf", type: "application/pdf", data: await pdfWithJavaScript() },
      ],
      422,
      /JavaScript/,
    ],
    [
      "a PDF of 51 pages",
      async () => [{ filename: "long.pdf", type: "application/pdf", data: await pdf("page", 51) }],
      422,
      /51 pages; at most 50/,
    ],
    [
      "a 20000×20000 PNG (decompression bomb)",
      async () => [
        {
          filename: "bomb.png",
          type: "image/png",
          data: png(8, 8, { width: 20000, height: 20000 }),
        },
      ],
      422,
      /20000×20000 pixels; at most 40 megapixels/,
    ],
    [
      "two files",
      async () => [
        { filename: "a.png", type: "image/png", data: png(4, 4) },
        { filename: "b.png", type: "image/png", data: png(5, 5) },
      ],
      400,
      /exactly one file/,
    ],
    ["no file", async () => [], 400, /no file/],
    // [1/7]: active content however it is spelt, polyglots, malformed structure.
    [
      "a PDF whose link runs /#4aavaScript, hidden in a compressed object stream",
      async () => [
        {
          filename: "escaped.pdf",
          type: "application/pdf",
          data: rawPdf({
            page: "/Annots [6 0 R]",
            compressed: [
              "<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /#4aavaScript /JS (x) >> >>",
            ],
          }),
        },
      ],
      422,
      /JavaScript/,
    ],
    [
      "a PDF that starts a program (/L#61unch)",
      async () => [
        {
          filename: "launch.pdf",
          type: "application/pdf",
          data: rawPdf({ catalog: "/OpenAction << /S /L#61unch /F (calc.exe) >>" }),
        },
      ],
      422,
      /starts a program/,
    ],
    [
      "a PDF with a web page after %%EOF",
      async () => [
        {
          filename: "tail.pdf",
          type: "application/pdf",
          data: rawPdf({ trailing: "<html><script>alert(1)</script></html>" }),
        },
      ],
      422,
      /data after its end/,
    ],
    [
      "a PDF with no /Root",
      async () => [
        { filename: "rootless.pdf", type: "application/pdf", data: rawPdf({ noRoot: true }) },
      ],
      422,
      /the PDF/,
    ],
    [
      "a PNG carrying a PDF in a text chunk",
      async () => [
        {
          filename: "poly.png",
          type: "image/png",
          data: pngWith(20, 20, [
            pngChunk("tEXt", Buffer.concat([Buffer.from("Comment\0"), rawPdf()])),
          ]),
        },
      ],
      422,
      /also contains a PDF \(a polyglot file\)/,
    ],
    [
      "a PNG with a ZIP after its end",
      async () => [
        {
          filename: "zip.png",
          type: "image/png",
          data: Buffer.concat([pngWith(20, 20), zipWith("index.html", "<p>hi</p>")]),
        },
      ],
      422,
      /ZIP archive \(a polyglot file\)/,
    ],
  ];

  it.each(cases)("%s", async (_name, make, status, message) => {
    const a = await tenantUser("bad");
    const result = await upload(a.token, await make());
    expect(result.status).toBe(status);
    expect(String(result.body.error)).toMatch(message);
    expect(JSON.stringify(result.body)).not.toMatch(/stack|select |at [A-Za-z]+ \(/i);
    expect(await storedFor(a.tenantId)).toEqual({ objects: 0, invoices: 0, documents: 0 });
  });

  it("a multipart body cut off mid-part, or without its closing boundary: 400, nothing kept", async () => {
    const a = await tenantUser("cut");
    const boundary = "cut-boundary";
    const whole = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      await pdf("cut body"),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    for (const body of [
      whole.subarray(0, whole.length - 300),
      whole.subarray(0, whole.length - `\r\n--${boundary}--\r\n`.length),
      whole.subarray(0, 60),
    ]) {
      const response = await fetch(`${url}/api/invoices/upload`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${a.token}`,
          "content-type": `multipart/form-data; boundary=${boundary}`,
        },
        body,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: "the upload could not be read: unexpected end of form",
      });
    }
    expect(await storedFor(a.tenantId)).toEqual({ objects: 0, invoices: 0, documents: 0 });
  });

  it("a body that is not multipart, and an anonymous caller", async () => {
    const a = await tenantUser("raw");
    const raw = await fetch(`${url}/api/invoices/upload`, {
      method: "POST",
      headers: { authorization: `Bearer ${a.token}`, "content-type": "application/pdf" },
      body: await pdf(),
    });
    expect(raw.status).toBe(400);
    const anonymous = await fetch(`${url}/api/invoices/upload`, {
      method: "POST",
      body: new FormData(),
    });
    expect(anonymous.status).toBe(401);
    expect(await storedFor(a.tenantId)).toEqual({ objects: 0, invoices: 0, documents: 0 });
  });
});
