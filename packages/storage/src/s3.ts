import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { ObjectNotFoundError, TooLargeError } from "./errors";
import { hashingLimit } from "./hashing-limit";
import type { ObjectStore } from "./store";

export interface S3StoreOptions {
  bucket: string;
  region: string;
  /** For S3-compatible servers (MinIO, s3rver, R2); omit for AWS. */
  endpoint?: string | undefined;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style URLs (bucket in the path), which most S3-compatible servers need. */
  forcePathStyle?: boolean | undefined;
}

const isMissing = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NoSuchKey" || e.name === "NotFound" || e.$metadata?.httpStatusCode === 404;
};

/**
 * The S3-compatible driver. Uploads stream through the same counting/hashing limit as the local
 * driver into a multipart upload; past the limit the upload is aborted and anything written
 * removed. Downloads are presigned GETs that carry the stored content type and a safe
 * Content-Disposition.
 */
export function s3Store(options: S3StoreOptions): ObjectStore {
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
  });
  const Bucket = options.bucket;
  return {
    async put(key, body, { maxBytes, contentType }) {
      const limit = hashingLimit(maxBytes);
      let streamError: unknown;
      pipeline(body, limit.stream, (error) => {
        if (error) streamError = error;
      });
      const upload = new Upload({
        client,
        params: { Bucket, Key: key, Body: limit.stream, ContentType: contentType },
      });
      try {
        await upload.done();
        if (streamError) throw streamError;
        return limit.result();
      } catch (error) {
        await upload.abort().catch(() => {});
        await client.send(new DeleteObjectCommand({ Bucket, Key: key })).catch(() => {});
        throw streamError instanceof TooLargeError ? streamError : (streamError ?? error);
      }
    },
    async get(key) {
      try {
        const result = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return result.Body as Readable;
      } catch (error) {
        if (isMissing(error)) throw new ObjectNotFoundError();
        throw error;
      }
    },
    async head(key) {
      try {
        const result = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { bytes: result.ContentLength ?? 0, modifiedAt: result.LastModified ?? new Date(0) };
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async *list() {
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket, ContinuationToken: token }),
        );
        for (const item of page.Contents ?? []) {
          if (item.Key) yield { key: item.Key, modifiedAt: item.LastModified ?? new Date(0) };
        }
        token = page.NextContinuationToken;
      } while (token);
    },
  };
}
