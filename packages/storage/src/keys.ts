import { ObjectNotFoundError } from "./errors";

/*
 * Object keys are built here and nowhere else: {tenant_id}/{user_id}/{invoice_id}/{name}, every
 * segment a UUID but the last, which is one of a few fixed names. A user-supplied filename never
 * becomes part of a key; it is kept as metadata only.
 */

export const extensionOf = {
  "application/pdf": "pdf",
  "image/jpeg": "jpg",
  "image/png": "png",
  "application/xml": "xml",
} as const;
export type StoredContentType = keyof typeof extensionOf;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const names = /^(original\.(pdf|jpg|png|xml)|page-[1-9][0-9]{0,3}\.png)$/;

export interface KeyParts {
  tenantId: string;
  userId: string;
  invoiceId: string;
}

function check(parts: KeyParts): void {
  for (const [name, value] of Object.entries(parts)) {
    if (!uuid.test(value)) throw new Error(`${name} must be a lower-case UUID`);
  }
}

/** The key of an invoice's original upload. */
export function originalKey(parts: KeyParts, contentType: StoredContentType): string {
  check(parts);
  return `${parts.tenantId}/${parts.userId}/${parts.invoiceId}/original.${extensionOf[contentType]}`;
}

/** The key of a derived file (a page preview) under the same invoice prefix. */
export function pagePreviewKey(parts: KeyParts, page: number): string {
  check(parts);
  if (!Number.isInteger(page) || page < 1 || page > 9999) throw new Error("page must be 1–9999");
  return `${parts.tenantId}/${parts.userId}/${parts.invoiceId}/page-${page}.png`;
}

/** True if key is a well-formed Remit key inside tenantId's prefix. */
export function isTenantKey(key: string, tenantId: string): boolean {
  const segments = key.split("/");
  return (
    segments.length === 4 &&
    segments[0] === tenantId &&
    uuid.test(tenantId) &&
    uuid.test(segments[1] ?? "") &&
    uuid.test(segments[2] ?? "") &&
    names.test(segments[3] ?? "")
  );
}

/**
 * Every read and delete goes through this: a key outside the caller's tenant, or not shaped
 * like a Remit key at all (`..`, another tenant's prefix), is answered exactly like a missing
 * file.
 */
export function assertTenantKey(key: string, tenantId: string): void {
  if (!isTenantKey(key, tenantId)) throw new ObjectNotFoundError();
}
