import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";

export interface UploadProgress {
  sent: number;
  total: number;
}

export type UploadOutcome =
  | { kind: "created"; invoiceId: string; documentId: string }
  | { kind: "duplicate"; invoiceId: string };

/** The server refused the file: `status` (413, 415, 422, …) and its sentence. */
export class UploadRejectedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const boundary = () => `----remit${crypto.randomUUID().replaceAll("-", "")}`;

/**
 * Uploads one file from disk as a stream (never read whole into memory), reporting progress as
 * bytes leave. Resolves with the new invoice, or with the invoice it duplicates.
 */
export async function uploadInvoice(
  options: { url: string; token: string },
  path: string,
  extra: { filename?: string; onProgress?: (progress: UploadProgress) => void } = {},
): Promise<UploadOutcome> {
  const total = (await stat(path)).size;
  const filename = (extra.filename ?? basename(path)).replaceAll('"', "'");
  const mark = boundary();
  const head = Buffer.from(
    `--${mark}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      "Content-Type: application/octet-stream\r\n\r\n",
  );
  const tail = Buffer.from(`\r\n--${mark}--\r\n`);
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(new Uint8Array(head));
      for await (const chunk of file) {
        controller.enqueue(new Uint8Array(chunk as Buffer));
        sent += (chunk as Buffer).length;
        extra.onProgress?.({ sent, total });
      }
      controller.enqueue(new Uint8Array(tail));
      controller.close();
    },
    cancel() {
      file.destroy();
    },
  });
  const response = await fetch(`${options.url.replace(/\/$/, "")}/api/invoices/upload`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${options.token}`,
      "content-type": `multipart/form-data; boundary=${mark}`,
    },
    body,
    duplex: "half",
  } as RequestInit);
  const answer = (await response.json().catch(() => ({}))) as {
    invoiceId?: string;
    documentId?: string;
    duplicate?: boolean;
    error?: string;
  };
  if (response.status === 201 && answer.invoiceId && answer.documentId) {
    return { kind: "created", invoiceId: answer.invoiceId, documentId: answer.documentId };
  }
  if (response.status === 200 && answer.duplicate && answer.invoiceId) {
    return { kind: "duplicate", invoiceId: answer.invoiceId };
  }
  throw new UploadRejectedError(
    response.status,
    answer.error ?? `the server answered ${response.status}`,
  );
}
