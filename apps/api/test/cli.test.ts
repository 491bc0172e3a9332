import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createRemitClient, signUp, uploadInvoice } from "@remit/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pdf, png } from "./files";
import { type LiveServer, startLiveServer } from "./live-server";

/* The typed client's upload and the `remit` command, against the real server. */

let live: LiveServer;
let token: string;

beforeAll(async () => {
  live = await startLiveServer();
  token = await signUp(live.url, {
    name: "Cli",
    email: `cli-${crypto.randomUUID().slice(0, 8)}@example.test`,
    password: "correct horse battery",
  });
  await createRemitClient({ url: live.url, token }).tenant.create.mutate({
    name: "Cli",
    slug: `cli-${crypto.randomUUID().slice(0, 8)}`,
  });
});

afterAll(async () => {
  await live?.close();
});

const cliPath = join(import.meta.dirname, "../../../packages/client/src/cli/remit.ts");
const run = (args: string[]) =>
  promisify(execFile)("node", ["--import", "tsx", cliPath, ...args], {
    env: { ...process.env, REMIT_URL: live.url, REMIT_TOKEN: token },
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );

describe("uploadInvoice", () => {
  it("streams a file from disk with progress and reports a duplicate the second time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "remit-cli-"));
    const path = join(dir, "scan.png");
    writeFileSync(path, png(600, 600, undefined, "noise"));
    const progress: number[] = [];
    const first = await uploadInvoice({ url: live.url, token }, path, {
      onProgress: (p) => progress.push(p.sent / p.total),
    });
    expect(first.kind).toBe("created");
    expect(progress.at(-1)).toBe(1);
    expect(progress.length).toBeGreaterThan(1);
    expect(await uploadInvoice({ url: live.url, token }, path)).toEqual({
      kind: "duplicate",
      invoiceId: first.invoiceId,
    });
  });

  it("sends bytes or a Blob in hand, with no temporary file, named by the caller", async () => {
    const bytes = png(300, 300, undefined, "noise");
    const fromBytes = await uploadInvoice({ url: live.url, token }, bytes, {
      filename: "from-bytes.png",
    });
    expect(fromBytes.kind).toBe("created");
    // The same bytes as a Blob: the server sees the same document.
    const fromBlob = await uploadInvoice({ url: live.url, token }, new Blob([bytes]), {
      filename: "from-blob.png",
    });
    expect(fromBlob).toEqual({ kind: "duplicate", invoiceId: fromBytes.invoiceId });
    const other = png(301, 300, undefined, "noise");
    const fromFile = await uploadInvoice(
      { url: live.url, token },
      new File([other], "scanned.png"),
    );
    expect(fromFile.kind).toBe("created");
    await expect(uploadInvoice({ url: live.url, token }, bytes)).rejects.toThrow(/filename/);
  });
});

describe("remit", () => {
  it("uploads a folder, reports each file, and exits non-zero when one was refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "remit-cli-folder-"));
    mkdirSync(join(dir, "nested"));
    writeFileSync(join(dir, "a.pdf"), await pdf("CLI invoice A"));
    // The same bytes twice: two renderings could differ in their creation timestamp.
    const b = await pdf("CLI invoice B");
    writeFileSync(join(dir, "nested", "b.pdf"), b);
    writeFileSync(join(dir, "nested", "c-copy-of-b.pdf"), b);
    writeFileSync(join(dir, "notes.txt"), "not an invoice");
    const result = await run(["upload", dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^uploaded {3}.*a\.pdf -> invoice [0-9a-f-]{36}$/m);
    expect(result.stdout).toMatch(/^uploaded {3}.*b\.pdf -> invoice /m);
    expect(result.stdout).toMatch(/^duplicate {2}.*c-copy-of-b\.pdf -> already invoice /m);
    expect(result.stdout).toMatch(
      /^rejected {3}.*notes\.txt: only PDF, JPEG and PNG files and XML e-invoices are accepted; this file is plain text \(415\)$/m,
    );
    expect(result.stderr).toContain("3 of 4 file(s) accepted");
  });

  it("exports invoices of a status as CSV", async () => {
    const client = createRemitClient({ url: live.url, token });
    const supplier = await client.supplier.create.mutate({ name: "Export Supplies" });
    const invoice = await client.invoice.create.mutate({
      supplierId: supplier?.id,
      invoiceNumber: 'EXP-"1"',
      invoiceDate: "2026-11-20",
      currency: "EUR",
      total: "10.00",
      lineItems: [],
    });
    await client.invoice.submit.mutate({ id: invoice.id });
    const result = await run(["export", "--status", "pending_verification", "--format", "csv"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe(
      '"id","status","invoice_number","supplier","invoice_date","due_date","currency","total","approved_at","paid_at","payment_reference"',
    );
    expect(lines).toContain(
      `"${invoice.id}","pending_verification","EXP-""1""","Export Supplies","2026-11-20","","EUR","10.00","","",""`,
    );
  });

  it("exports one invoice as EN 16931 UBL XML", async () => {
    const result = await run(["export", "--status", "pending_verification", "--format", "ubl"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Invoice /);
    expect(result.stdout).toContain("<cbc:ID>EXP-&quot;1&quot;</cbc:ID>");
  });

  it("marks an approved invoice paid, and says why it cannot twice", async () => {
    const client = createRemitClient({ url: live.url, token });
    // A one-person tenant: its admin takes every step (docs/lifecycle.md).
    await client.settings.setSeparationOfDuties.mutate({ enabled: false });
    const supplier = await client.supplier.create.mutate({ name: "Paid Supplies" });
    const invoice = await client.invoice.create.mutate({
      supplierId: supplier?.id,
      invoiceNumber: "PAY-1",
      invoiceDate: "2026-11-20",
      currency: "EUR",
      total: "20.00",
      lineItems: [],
    });
    await client.invoice.submit.mutate({ id: invoice.id });
    await client.invoice.verify.mutate({ id: invoice.id });
    await client.invoice.approve.mutate({ id: invoice.id });
    const result = await run([
      "mark-paid",
      invoice.id,
      "--paid-at",
      "2026-11-25",
      "--reference",
      "TRX-9",
    ]);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toBe(`paid       invoice ${invoice.id} on 2026-11-25T00:00:00.000Z\n`);
    expect(await client.invoice.get.query({ id: invoice.id })).toMatchObject({
      status: "paid",
      paymentReference: "TRX-9",
    });
    const again = await run(["mark-paid", invoice.id]);
    expect(again).toMatchObject({ code: 1, stderr: "remit: the invoice is already marked paid\n" });
    const csv = await run(["export", "--status", "paid"]);
    expect(csv.stdout).toContain(`"2026-11-25T00:00:00.000Z","TRX-9"`);
  });

  it("says what is wrong with its arguments or environment", async () => {
    expect((await run(["export", "--status", "settled"])).stderr).toMatch(
      /unknown status "settled"/,
    );
    expect((await run(["mark-paid"])).stderr).toMatch(/remit mark-paid <invoice id>/);
    expect((await run(["export", "--format", "pdf"])).stderr).toMatch(/use csv or ubl/);
    const noToken = await promisify(execFile)(
      "node",
      ["--import", "tsx", cliPath, "upload", "x.pdf"],
      {
        env: { ...process.env, REMIT_URL: live.url, REMIT_TOKEN: "" },
      },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(noToken).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/REMIT_TOKEN: set REMIT_TOKEN/),
    });
  });
});
