import { extensionOf, type StoredContentType } from "./keys";

/*
 * An uploader's filename is shown back to people (the inbox, the review screen, a download's
 * name), so it must not be able to lie about what the file is:
 * - invisible characters go: controls, format characters (the bidi overrides U+202A–U+202E and
 *   isolates U+2066–U+2069, zero-width joiners), line and paragraph separators. With them,
 *   "invoice\u202Efdp.exe" displays as "invoiceexe.pdf";
 * - look-alike dots (fullwidth, one-dot leader) become plain dots (NFKC), so they are seen;
 * - the name always ends in the extension of what the bytes are, and nothing before it looks
 *   like another extension: "invoice.html" stored as a PDF becomes "invoice_html.pdf", so that
 *   a file manager hiding known extensions never shows ".html".
 */

const invisible = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const realExtensions: Record<StoredContentType, string[]> = {
  "application/pdf": ["pdf"],
  "image/jpeg": ["jpg", "jpeg"],
  "image/png": ["png"],
  "application/xml": ["xml"],
};
/** A dot before one to eight letters or digits (at least one a letter) that end at a dot or the
 * end: the start of something that looks like an extension. */
const extensionLike = /\.(?=(?=[\p{N}]*\p{L})[\p{L}\p{N}]{1,8}(?:\.|$))/gu;
const maxLength = 255;

/** The name to keep and show for an upload of `type`; null when nothing usable is left. */
export function safeFilename(
  name: string | null | undefined,
  type: StoredContentType,
): string | null {
  if (!name) return null;
  const visible = name.normalize("NFKC").replace(invisible, "");
  const base = (visible.split(/[\\/]/).pop() ?? "").trim().replace(/[.\s]+$/u, "");
  const dot = base.lastIndexOf(".");
  const extension = dot > 0 ? base.slice(dot + 1) : "";
  const keeps = realExtensions[type].includes(extension.toLowerCase());
  let stem = keeps ? base.slice(0, dot) : base;
  stem = stem
    .replace(extensionLike, "_")
    .replace(/[.\s]+$/u, "")
    .trim();
  if (!stem) return null;
  const suffix = `.${keeps ? extension : extensionOf[type]}`;
  return [...stem].slice(0, maxLength - suffix.length).join("") + suffix;
}
