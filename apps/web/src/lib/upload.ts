/*
 * POST /api/invoices/upload through XMLHttpRequest, because fetch cannot report upload
 * progress. Same origin, so the session cookie goes with it.
 */

export type UploadResult =
  | { kind: "uploaded"; invoiceId: string }
  | { kind: "duplicate"; invoiceId: string | null; message: string }
  | { kind: "error"; message: string };

export const maxBytes = 10 * 1024 * 1024;
const accepted = ["application/pdf", "image/jpeg", "image/png", "application/xml", "text/xml"];
const acceptedExtension = /\.(pdf|jpe?g|png|xml)$/i;

/** Checks that need no server: size and an obviously wrong type. The server checks the bytes. */
export function precheck(file: File): string | null {
  if (file.size > maxBytes) {
    return `Too large: ${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 10 MB.`;
  }
  if (file.size === 0) return `Unreadable: ${file.name} is empty.`;
  if (!accepted.includes(file.type) && !acceptedExtension.test(file.name)) {
    return `Wrong type: ${file.name} is not a PDF, JPEG or PNG file or an XML e-invoice.`;
  }
  return null;
}

function sentence(text: string): string {
  const clean = text.trim();
  return /[.!?]$/.test(clean) ? clean : `${clean}.`;
}

function explain(status: number, serverMessage: string | undefined): string {
  const detail = serverMessage ? ` ${sentence(serverMessage)}` : "";
  switch (status) {
    case 413:
      return `Too large: the file is over the 10 MB limit.${detail}`;
    case 415:
      return `Wrong type: only PDF, JPEG and PNG files and XML e-invoices can be uploaded.${detail}`;
    case 422:
      return `Unreadable: the file could not be read as an invoice document.${detail}`;
    case 401:
      return "You are signed out. Sign in again, then upload the file.";
    case 403:
      return `Not allowed.${detail}`;
    default:
      return serverMessage ? sentence(serverMessage) : `The upload failed (${status}).`;
  }
}

export function uploadInvoice(
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<UploadResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/invoices/upload");
    xhr.withCredentials = true;
    xhr.responseType = "text";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () =>
      resolve({
        kind: "error",
        message: "Could not reach Remit. Check your connection and try again.",
      });
    xhr.onabort = () => resolve({ kind: "error", message: "Upload cancelled." });
    xhr.onload = () => {
      let body: { invoiceId?: string; duplicate?: boolean; error?: string } = {};
      try {
        body = JSON.parse(xhr.responseText || "{}");
      } catch {
        body = {};
      }
      if ((xhr.status === 200 || xhr.status === 201) && body.invoiceId) {
        onProgress(1);
        if (body.duplicate) {
          resolve({
            kind: "duplicate",
            invoiceId: body.invoiceId,
            message: "Duplicate: this file was uploaded before.",
          });
        } else resolve({ kind: "uploaded", invoiceId: body.invoiceId });
      } else if (xhr.status === 409) {
        resolve({
          kind: "duplicate",
          invoiceId: null,
          message: `Duplicate: the same file is being uploaded at the same time.${body.error ? ` ${sentence(body.error)}` : ""}`,
        });
      } else {
        resolve({ kind: "error", message: explain(xhr.status, body.error) });
      }
    };
    signal?.addEventListener("abort", () => xhr.abort());
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}
