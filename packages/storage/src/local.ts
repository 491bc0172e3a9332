import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, rmdir, stat } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ObjectNotFoundError } from "./errors";
import { hashingLimit } from "./hashing-limit";
import type { ObjectStore } from "./store";

export interface LocalStoreOptions {
  /** Root folder, e.g. ./.data/objects. */
  root: string;
}

/**
 * The default driver: files under a root folder. A file is written to a temporary name and
 * renamed into place only when complete, so a reader never sees half an object and a failed
 * or oversized upload leaves nothing behind.
 */
export function localStore(options: LocalStoreOptions): ObjectStore {
  const path = (key: string) => {
    const full = join(options.root, ...key.split("/"));
    // Keys come from keys.ts, but the driver does not rely on it to stay inside its root.
    if (relative(options.root, full).split(sep).includes("..")) throw new ObjectNotFoundError();
    return full;
  };
  return {
    async put(key, body, { maxBytes }) {
      const target = path(key);
      await mkdir(dirname(target), { recursive: true });
      const temporary = `${target}.${randomUUID()}.partial`;
      const limit = hashingLimit(maxBytes);
      try {
        await pipeline(body, limit.stream, createWriteStream(temporary, { flags: "wx" }));
        await rename(temporary, target);
        return limit.result();
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async get(key) {
      const target = path(key);
      const info = await stat(target).catch(() => null);
      if (!info?.isFile()) throw new ObjectNotFoundError();
      return createReadStream(target) as Readable;
    },
    async head(key) {
      const info = await stat(path(key)).catch(() => null);
      return info?.isFile() ? { bytes: info.size, modifiedAt: info.mtime } : null;
    },
    async delete(key) {
      const target = path(key);
      await rm(target, { force: true });
      // Folders are an artefact of this driver (S3 has none): an invoice's folder goes with its
      // last file, so that a refused upload leaves no trace. Only that folder, which no other
      // upload shares; the user's folder may be in use by the next upload at this moment.
      await rmdir(dirname(target)).catch(() => {});
    },
    async *list() {
      const walk = async function* (
        dir: string,
      ): AsyncGenerator<{ key: string; modifiedAt: Date }> {
        const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
        for (const entry of entries) {
          const full = join(dir, entry.name);
          if (entry.isDirectory()) yield* walk(full);
          else if (!entry.name.endsWith(".partial")) {
            const info = await stat(full);
            yield {
              key: relative(options.root, full).split(sep).join("/"),
              modifiedAt: info.mtime,
            };
          }
        }
      };
      yield* walk(options.root);
    },
  };
}
