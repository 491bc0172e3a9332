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
  | "timeout";

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
