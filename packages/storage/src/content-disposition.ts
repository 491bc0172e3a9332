/**
 * `attachment` with an ASCII fallback and the RFC 5987 UTF-8 form, so that a hostile filename
 * (quotes, control characters, bidi overrides, path separators, 10 kB of anything) can never
 * break the header or disguise the name. Callers pass a name already made safe for its type
 * (safeFilename); invisible characters are removed here again for names stored before that.
 */
export function contentDisposition(filename: string): string {
  const cleaned =
    filename
      .replace(/[\p{Cf}\p{Zl}\p{Zp}]/gu, "")
      .replace(/[\p{Cc}/\\]/gu, "_")
      .slice(0, 200) || "download";
  const ascii = cleaned.replace(/[^\x20-\x7e]/g, "_").replace(/["%;]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(cleaned)}`;
}
