import { createRemitClient, type RemitClient } from "./index";

/*
 * What the OCR worker needs beyond the procedures: it claims with its own credential, then
 * works on one job with that job's token only — fetching the one document the claim linked,
 * and storing page previews — so it never holds a database URL or a person's session.
 */

export interface WorkerConnection {
  url: string;
  /** The worker credential (REMIT_WORKER_SECRET): it may claim jobs and do nothing else. */
  workerSecret: string;
  fetch?: typeof fetch;
}

/** The client the worker claims with. */
export function createWorkerClient(connection: WorkerConnection): RemitClient {
  return createRemitClient({
    url: connection.url,
    token: connection.workerSecret,
    // No batching: a claim held at the API waiting for a job must not hold up another slot's.
    maxBatch: 1,
    ...(connection.fetch ? { fetch: connection.fetch } : {}),
  });
}

/** One job attempt's client and the token it currently sends. */
export interface JobClient {
  client: RemitClient;
  readonly token: string;
  setToken(next: string): void;
}

/**
 * A client for one job attempt, authenticated by its job token. The token is renewed by every
 * heartbeat; `setToken` swaps it in without a new client.
 */
export function createJobClient(
  url: string,
  initialToken: string,
  fetchImpl?: typeof fetch,
): JobClient {
  let token = initialToken;
  const client = createRemitClient({
    url,
    get token() {
      return token;
    },
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  return {
    client,
    get token() {
      return token;
    },
    setToken(next: string) {
      token = next;
    },
  };
}

export class DocumentTooLargeError extends Error {}

/**
 * Downloads the claimed document from its signed link, refusing more than maxBytes. The link is
 * bound to the job: the server only honours it together with that job's token.
 */
export async function fetchDocument(
  documentUrl: string,
  jobToken: string,
  maxBytes: number,
  fetchImpl: typeof fetch = fetch,
): Promise<Uint8Array> {
  const response = await fetchImpl(documentUrl, {
    headers: { authorization: `Bearer ${jobToken}` },
  });
  if (!response.ok || !response.body) {
    throw new Error(`the document could not be downloaded (${response.status})`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      await response.body.cancel().catch(() => {});
      throw new DocumentTooLargeError(`the document is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Stores one page preview (PNG) of the job's document, with the job token. */
export async function putPagePreview(
  url: string,
  job: { id: string; token: string },
  page: number,
  png: Uint8Array,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const response = await fetchImpl(`${url.replace(/\/$/, "")}/api/jobs/${job.id}/pages/${page}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${job.token}`, "content-type": "image/png" },
    // fetch's DOM typing wants an ArrayBuffer-backed view; every Uint8Array Node hands us is one.
    body: png as Uint8Array<ArrayBuffer>,
  });
  if (!response.ok) {
    const detail = (await response.json().catch(() => ({}))) as { error?: string };
    throw new Error(`storing page ${page} failed (${response.status}): ${detail.error ?? ""}`);
  }
}
