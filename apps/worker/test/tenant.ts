import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRemitClient, type RemitClient, signUp, uploadInvoice } from "@remit/client";
import { PDFDocument, StandardFonts } from "pdf-lib";

/** A person with a tenant of their own, signed in through the public API. */
export async function newTenant(
  url: string,
  label: string,
): Promise<{ client: RemitClient; token: string }> {
  const email = `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
  const token = await signUp(url, { name: label, email, password: "correct horse battery" });
  const client = createRemitClient({ url, token });
  await client.tenant.create.mutate({
    name: `Tenant ${label}`,
    slug: `${label}-${crypto.randomUUID().slice(0, 8)}`,
  });
  return { client, token };
}

/** A one-page invoice PDF with a text layer, unique per call (so uploads are not duplicates). */
export async function invoicePdf(lines: string[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const [i, line] of lines.entries()) {
    page.drawText(line, { x: 50, y: 780 - i * 18, size: 11, font });
  }
  page.drawText(crypto.randomUUID(), { x: 50, y: 40, size: 6, font });
  return pdf.save();
}

/** Uploads bytes as a file through the public upload endpoint; returns the new invoice id. */
export async function upload(
  url: string,
  token: string,
  name: string,
  bytes: Uint8Array,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "remit-worker-upload-"));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const outcome = await uploadInvoice({ url, token }, path).finally(() =>
    rmSync(dir, { recursive: true, force: true }),
  );
  if (outcome.kind !== "created") throw new Error("the test file was a duplicate");
  return outcome.invoiceId;
}
