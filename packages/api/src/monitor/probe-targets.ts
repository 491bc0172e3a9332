import type { ProbeTable } from "./violation";

/*
 * Which ids of a tenant procedure's input to look up after it answered NOT_FOUND. The table
 * follows from the key (and, for a bare `id`, from the procedure's noun). Only the input's top
 * level and its `data` object are read: that is where every procedure keeps its references.
 */

const byKey: Record<string, ProbeTable> = {
  invoiceId: "invoices",
  supplierId: "suppliers",
  globalSupplierId: "suppliers",
  memberId: "members",
  commentId: "invoice_comments",
  documentId: "documents",
  jobId: "ocr_jobs",
  endpointId: "webhook_endpoints",
  deliveryId: "webhook_deliveries",
};

const byNoun: Record<string, ProbeTable> = {
  invoice: "invoices",
  supplier: "suppliers",
  comment: "invoice_comments",
  member: "members",
  job: "ocr_jobs",
  tenant: "tenants",
  // mail.rotateAddress / mail.revokeAddress take the address's id; the mailbox procedures live
  // under their own noun.
  mail: "mail_addresses",
  imapMailbox: "mail_imap_mailboxes",
  webhook: "webhook_endpoints",
};

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function probeTargets(
  path: string,
  input: unknown,
): Array<{ table: ProbeTable; id: string }> {
  if (!input || typeof input !== "object") return [];
  const noun = path.split(".")[0] ?? "";
  const found = new Map<string, { table: ProbeTable; id: string }>();
  const scan = (object: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(object)) {
      if (typeof value !== "string" || !uuidShape.test(value)) continue;
      const table =
        key === "id"
          ? byNoun[noun]
          : key === "tenantId" && noun === "tenant"
            ? "tenants"
            : byKey[key];
      if (table) found.set(`${table}:${value}`, { table, id: value.toLowerCase() });
    }
  };
  const top = input as Record<string, unknown>;
  scan(top);
  if (top.data && typeof top.data === "object") scan(top.data as Record<string, unknown>);
  return [...found.values()].slice(0, 10);
}
