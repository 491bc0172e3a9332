import type { Readable } from "node:stream";

export interface PutResult {
  bytes: number;
  /** Hex SHA-256 of exactly the bytes stored. */
  sha256: string;
}

/**
 * One small interface, two drivers (local filesystem, S3). Keys are built by keys.ts only;
 * the tenant check happens in tenantStore() below, so a driver never decides what a caller may
 * name.
 */
export interface ObjectStore {
  /**
   * Stores the stream under key, counting and hashing while it streams. Past maxBytes the
   * stream is abandoned, the partial object removed, and TooLargeError thrown.
   */
  put(
    key: string,
    body: Readable,
    options: { maxBytes: number; contentType: string },
  ): Promise<PutResult>;
  get(key: string): Promise<Readable>;
  head(key: string): Promise<{ bytes: number; modifiedAt: Date } | null>;
  delete(key: string): Promise<void>;
  /** Every key with its age, for the orphan sweeper. */
  list(): AsyncIterable<{ key: string; modifiedAt: Date }>;
}
