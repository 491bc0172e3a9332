import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { sqlState } from "@remit/db";
import {
  ObjectNotFoundError,
  originalKey,
  safeFilename,
  TooLargeError,
  tenantStore,
} from "@remit/storage";
import { recordAudit } from "../audit";
import type { ApiDeps } from "../context";
import { ConflictError, PayloadTooLargeError, UnprocessableError } from "../errors";
import { createDraftFromDocument, invoiceWithFile } from "../queries/documents";
import type { TenantActor, TenantScope } from "../request/steps";
import { assertClaimsMatch, inspect, limits, sniff } from "./inspect";

/*
 * One way in, several doors. Whatever brought a document (the upload route, an e-mail
 * attachment), it ends here: typed from its bytes, capped while it streams, checked (active
 * content, polyglots, damage), de-duplicated, and stored with its rows (draft invoice, document,
 * OCR job, audit) or not at all. A door only decides who the tenant is and hands over; all of
 * this runs under withTenant as that tenant.
 */

export interface IncomingDocument {
  stream: Readable;
  /** The sender's name for it; made safe to show (safeFilename), never part of a key. */
  filename: string | undefined;
  /** What the sender claimed it is; only ever compared with what the bytes are. */
  declaredType: string | undefined;
  /**
   * Settles once the door has read everything it will (a multipart body's end); a rejection
   * (a body cut off) undoes the document. Absent when the stream is all there is.
   */
  complete?: Promise<void>;
}

export interface IngestingActor {
  actor: TenantActor;
  /** Who the audit row names as acting. */
  actorType: "user" | "service";
  requestId: string;
  ip: string | null;
  /** How the document came in, kept in its audit row ("upload", "email"). */
  via: string;
  /** Opens the actor's tenant transaction (request/steps.ts inTenantTransaction). */
  transaction<R>(work: (scope: TenantScope) => Promise<R>): Promise<R>;
}

export type IngestOutcome =
  | { kind: "created"; invoiceId: string; documentId: string }
  | { kind: "duplicate"; invoiceId: string };

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** Reads until at least n bytes (or the end) and returns them with the stream that continues. */
async function peek(stream: Readable, n: number): Promise<{ head: Buffer; rest: Readable }> {
  const chunks: Buffer[] = [];
  let length = 0;
  const iterator = stream[Symbol.asyncIterator]();
  while (length < n) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = Buffer.from(next.value as Buffer);
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks);
  const rest = Readable.from(
    (async function* () {
      yield head;
      while (true) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value as Buffer;
      }
    })(),
  );
  return { head, rest };
}

/**
 * Stores one document for `who`'s tenant. Throws a domain error with a sentence (errors.ts maps
 * it) when the document is refused; nothing is left behind then.
 */
export async function ingestDocument(
  deps: ApiDeps,
  who: IngestingActor,
  incoming: IncomingDocument,
): Promise<IngestOutcome> {
  const { tenantId, userId } = who.actor;
  const store = tenantStore(deps.store, tenantId);
  let stored: string | undefined;
  try {
    const { head, rest } = await peek(incoming.stream, limits.sniffBytes);
    const contentType = await sniff(head);
    assertClaimsMatch(contentType, incoming.declaredType, incoming.filename);
    const invoiceId = randomUUID();
    const key = originalKey({ tenantId, userId, invoiceId }, contentType);
    stored = key;
    let put = await store.put(key, rest, { maxBytes: limits.maxBytes, contentType });
    await incoming.complete;
    const { pageCount, replacement } = await inspect(
      await readAll(await store.get(key)),
      contentType,
    );
    // An image is kept only as its clean re-encoding (image-clean.ts); duplicates are judged on it.
    if (replacement) {
      put = await store.put(key, Readable.from([replacement]), {
        maxBytes: limits.maxBytes,
        contentType,
      });
    }
    const filename = safeFilename(incoming.filename, contentType);

    const outcome = await who
      .transaction(async (scope) => {
        const existing = await invoiceWithFile(scope.db, put.sha256);
        if (existing) return { kind: "duplicate" as const, invoiceId: existing };
        const documentId = await createDraftFromDocument(scope.db, {
          tenantId,
          invoiceId,
          createdBy: userId,
          storageKey: key,
          originalFilename: filename,
          contentType,
          byteSize: put.bytes,
          sha256: put.sha256,
          pageCount,
        });
        await recordAudit(
          {
            db: scope.db,
            tenantId,
            userId,
            caller: { kind: who.actorType === "user" ? "session" : "token" },
            requestId: who.requestId,
            ip: who.ip,
          },
          {
            action: "invoice.upload",
            entityType: "invoice",
            entityId: invoiceId,
            summary: {
              filename,
              contentType,
              bytes: put.bytes,
              sha256: put.sha256,
              pageCount,
              via: who.via,
            },
          },
        );
        return { kind: "created" as const, invoiceId, documentId };
      })
      .catch((error: unknown) => {
        // Two uploads of the same bytes at once: the unique (tenant, sha256) key decides.
        if (sqlState(error) === "23505") {
          throw new ConflictError(
            "the same file was uploaded at the same moment; it is a duplicate",
          );
        }
        throw error;
      });
    if (outcome.kind === "duplicate") {
      await store.delete(key);
    } else {
      deps.events.publish(tenantId, {
        invoiceId: outcome.invoiceId,
        kind: "invoice.created",
        status: "draft",
      });
      // The read is queued and committed: wake a worker waiting in job.claim (any process).
      deps.jobSignal.announce().catch(() => {});
    }
    stored = undefined; // committed, or removed as a duplicate
    return outcome;
  } catch (error) {
    if (error instanceof TooLargeError) {
      throw new PayloadTooLargeError(`${error.message}; the limit is 10 MB`);
    }
    if (error instanceof ObjectNotFoundError) {
      throw new UnprocessableError("the file could not be read back");
    }
    throw error;
  } finally {
    if (stored) await store.delete(stored).catch(() => {});
  }
}
