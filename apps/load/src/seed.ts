import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acceptInvitation, createRemitClient, signUp, uploadInvoice } from "@remit/client";
import { PDFDocument, StandardFonts } from "pdf-lib";

/*
 * Tenants seeded through the public API only: an admin who creates the tenant, a second member
 * (role user) who accepts an invitation, suppliers, typed-in invoices with line items, and a few
 * uploaded PDFs, so that the OCR workers have jobs.
 */

export interface Member {
  token: string;
  role: "admin" | "user";
}

export interface SeededTenant {
  label: string;
  id: string;
  members: Member[];
  supplierIds: string[];
  /** Invoices of this tenant, seeded or created under load; they are targets for get/update. */
  invoiceIds: string[];
  uploadedInvoiceIds: string[];
}

const password = "correct horse battery staple";
const tag = () => crypto.randomUUID().slice(0, 8);

export async function textPdf(text: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const lines = [text, `Invoice number INV-${tag()}`, "Total 120.00", crypto.randomUUID()];
  for (const [i, line] of lines.entries()) {
    page.drawText(line, { x: 50, y: 780 - i * 18, size: 11, font });
  }
  return doc.save();
}

/** Uploads bytes through POST /api/invoices/upload; returns the new invoice's id. */
export async function uploadBytes(
  url: string,
  token: string,
  name: string,
  bytes: Uint8Array,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "remit-load-"));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  try {
    const outcome = await uploadInvoice({ url, token }, path);
    if (outcome.kind !== "created") throw new Error(`${name} was taken for a duplicate`);
    return outcome.invoiceId;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function seedTenant(
  url: string,
  label: string,
  counts: { suppliers: number; invoices: number; uploads: number },
): Promise<SeededTenant> {
  const adminEmail = `${label}-admin-${tag()}@load.test`;
  const adminToken = await signUp(url, { name: `${label} admin`, email: adminEmail, password });
  const admin = createRemitClient({ url, token: adminToken });
  const tenant = await admin.tenant.create.mutate({
    name: `Load ${label}`,
    slug: `${label}-${tag()}`,
  });

  const clerkEmail = `${label}-clerk-${tag()}@load.test`;
  const clerkToken = await signUp(url, { name: `${label} clerk`, email: clerkEmail, password });
  const invitation = await admin.member.invite.mutate({ email: clerkEmail, role: "user" });
  await acceptInvitation(url, clerkToken, invitation.id);

  const supplierIds: string[] = [];
  for (let i = 0; i < counts.suppliers; i++) {
    const supplier = await admin.supplier.create.mutate({
      name: `${label} supplier ${i} ${tag()}`,
      taxId: `TX-${tag()}`,
    });
    if (supplier) supplierIds.push(supplier.id);
  }
  const invoiceIds: string[] = [];
  for (let i = 0; i < counts.invoices; i++) {
    const invoice = await admin.invoice.create.mutate({
      invoiceNumber: `${label.toUpperCase()}-${i}-${tag()}`,
      supplierId: supplierIds[i % supplierIds.length] ?? null,
      currency: "EUR",
      total: "100.00",
      lineItems: [{ description: `${label} line ${i}`, amount: "100.00" }],
    });
    invoiceIds.push(invoice.id);
  }
  const uploadedInvoiceIds: string[] = [];
  for (let i = 0; i < counts.uploads; i++) {
    uploadedInvoiceIds.push(
      await uploadBytes(
        url,
        adminToken,
        `${label}-${i}.pdf`,
        await textPdf(`${label} upload ${i}`),
      ),
    );
  }
  return {
    label,
    id: tenant.id,
    members: [
      { token: adminToken, role: "admin" },
      { token: clerkToken, role: "user" },
    ],
    supplierIds,
    invoiceIds: [...invoiceIds, ...uploadedInvoiceIds],
    uploadedInvoiceIds,
  };
}

export async function seedTenants(
  url: string,
  count: number,
  counts = { suppliers: 3, invoices: 20, uploads: 2 },
): Promise<SeededTenant[]> {
  const labels = Array.from({ length: count }, (_, i) => `t${i + 1}`);
  return Promise.all(labels.map((label) => seedTenant(url, label, counts)));
}
