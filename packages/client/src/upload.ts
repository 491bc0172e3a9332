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

/** What can be uploaded: a path on disk (streamed), bytes already in memory, or a Blob/File. */
export type UploadSource = string | Uint8Array | Blob;

interface Payload {
  total: number;
  filename: string;
  chunks(): AsyncIterable<Uint8Array>;
  cancel(): void;
}

const chunkSize = 256 * 1024;

/** A path is streamed from disk; bytes and Blobs are sent in slices so progress still moves. */
async function payloadOf(source: UploadSource, filename: string | undefined): Promise<Payload> {
  if (typeof source === "string") {
    const file = createReadStream(source, { highWaterMark: chunkSize });
    return {
      total: (await stat(source)).size,
      filename: filename ?? basename(source),
      async *chunks() {
        for await (const chunk of file) yield new Uint8Array(chunk as Buffer);
      },
      cancel: () => file.destroy(),
    };
  }
  const name = filename ?? (source instanceof File ? source.name : undefined);
  if (!name) throw new TypeError("uploadInvoice: a filename is needed when uploading bytes");
  const total = source instanceof Blob ? source.size : source.byteLength;
  return {
    total,
    filename: name,
    async *chunks() {
      for (let at = 0; at < total; at += chunkSize) {
        yield source instanceof Blob
          ? new Uint8Array(await source.slice(at, at + chunkSize).arrayBuffer())
          : source.subarray(at, at + chunkSize);
      }
    },
    cancel: () => {},
  };
}

/**
 * Uploads one document: a file on disk as a stream (never read whole into memory), or bytes or
 * a Blob already in hand (no temporary file), reporting progress as bytes leave. Resolves with
 * the new invoice, or with the invoice it duplicates.
 */
export async function uploadInvoice(
  options: { url: string; token: string },
  source: UploadSource,
  extra: { filename?: string; onProgress?: (progress: UploadProgress) => void } = {},
): Promise<UploadOutcome> {
  const payload = await payloadOf(source, extra.filename);
  const { total } = payload;
  const filename = payload.filename.replaceAll('"', "'");
  const mark = boundary();
  const head = Buffer.from(
    `--${mark}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      "Content-Type: application/octet-stream\r\n\r\n",
  );
  const tail = Buffer.from(`\r\n--${mark}--\r\n`);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(new Uint8Array(head));
      for await (const chunk of payload.chunks()) {
        controller.enqueue(chunk);
        sent += chunk.length;
        extra.onProgress?.({ sent, total });
      }
      controller.enqueue(new Uint8Array(tail));
      controller.close();
    },
    cancel() {
      payload.cancel();
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
