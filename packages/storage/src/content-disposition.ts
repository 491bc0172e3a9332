/**
 * `attachment` with an ASCII fallback and the RFC 5987 UTF-8 form, so that a hostile filename
 * (quotes, control characters, path separators, 10 kB of anything) can never break the header.
 */
export function contentDisposition(filename: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const cleaned = filename.replace(/[\u0000-\u001f\u007f/\\]/g, "_").slice(0, 200) || "download";
  const ascii = cleaned.replace(/[^\x20-\x7e]/g, "_").replace(/["%;]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(cleaned)}`;
}
