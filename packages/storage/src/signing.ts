import { createHmac, timingSafeEqual } from "node:crypto";

/*
 * Signed download links for the local driver: an HMAC-SHA256 over everything the link grants
 * (key, tenant, user, expiry, content type, filename). Change any of it and the signature no
 * longer matches; the server also re-checks the key's tenant and the document row on use.
 */

export interface SignedLink {
  key: string;
  tenantId: string;
  userId: string;
  expiresAt: number; // unix seconds
  contentType: string;
  filename: string;
}

const fields = (l: SignedLink) =>
  [l.key, l.tenantId, l.userId, String(l.expiresAt), l.contentType, l.filename].join("\n");

export function sign(secret: string, link: SignedLink): string {
  return createHmac("sha256", secret).update(fields(link)).digest("base64url");
}

export function toQuery(secret: string, link: SignedLink): URLSearchParams {
  return new URLSearchParams({
    k: link.key,
    t: link.tenantId,
    u: link.userId,
    e: String(link.expiresAt),
    ct: link.contentType,
    fn: link.filename,
    s: sign(secret, link),
  });
}

/** The link a query grants, or null if it is malformed, tampered with or expired. */
export function verifyQuery(
  secret: string,
  query: URLSearchParams,
  now = Date.now(),
): SignedLink | null {
  const link: SignedLink = {
    key: query.get("k") ?? "",
    tenantId: query.get("t") ?? "",
    userId: query.get("u") ?? "",
    expiresAt: Number(query.get("e")),
    contentType: query.get("ct") ?? "",
    filename: query.get("fn") ?? "",
  };
  const given = Buffer.from(query.get("s") ?? "", "base64url");
  const expected = Buffer.from(sign(secret, link), "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (!Number.isFinite(link.expiresAt) || link.expiresAt * 1000 < now) return null;
  return link;
}
