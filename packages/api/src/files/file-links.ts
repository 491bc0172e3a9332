import { assertTenantKey, toQuery } from "@remit/storage";

/** How the API signs its own download links (served by GET /api/files on this server). */
export interface FileLinkSettings {
  secret: string;
  /** The absolute URL of /api/files on this server. */
  downloadUrl: string;
}

/**
 * A download link to one stored file, issued to one user of one tenant, for a few minutes.
 * Every link points at the API, whichever storage driver holds the bytes: the API checks, on
 * use, that the request comes from the user the link was issued to, still in that tenant —
 * so a link copied into another tenant's session, or replayed by anyone else, opens nothing.
 * (A presigned S3 URL could not be bound to a caller; it would work for whoever holds it.)
 */
export function issueFileLink(
  settings: FileLinkSettings,
  link: {
    key: string;
    tenantId: string;
    userId: string;
    expiresInSeconds: number;
    contentType: string;
    filename: string;
  },
): string {
  assertTenantKey(link.key, link.tenantId);
  const query = toQuery(settings.secret, {
    key: link.key,
    tenantId: link.tenantId,
    userId: link.userId,
    expiresAt: Math.floor(Date.now() / 1000) + link.expiresInSeconds,
    contentType: link.contentType,
    filename: link.filename,
  });
  return `${settings.downloadUrl}?${query}`;
}
