/**
 * Why a document could not be read. The worker maps `code` to a job failure the review
 * screen can explain; `timeout` and `unreadable_*` may be retried, the others never will.
 */
export type ExtractErrorCode =
  | "empty_image"
  | "unreadable_image"
  | "unreadable_pdf"
  | "encrypted_pdf"
  | "too_many_pages"
  | "unsupported_type"
  | "timeout"
  /** Not well-formed XML, or in an encoding that cannot be read. */
  | "unreadable_xml"
  /** XML with a DOCTYPE (entities, external references): refused before anything is expanded. */
  | "unsafe_xml"
  /** XML over the size, depth or element caps. */
  | "xml_too_large"
  /** Well-formed XML that is not an e-invoice Remit reads (CII, ZUGFeRD 1.0, UBL 2.1). */
  | "not_an_e_invoice";

export class ExtractError extends Error {
  override readonly name = "ExtractError";

  constructor(
    readonly code: ExtractErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
