import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { TooLargeError } from "./errors";

/**
 * A pass-through that counts and hashes as bytes flow, and fails the stream on the first byte
 * past the limit, so that memory stays flat whatever the sender sends.
 */
export function hashingLimit(maxBytes: number) {
  const hash = createHash("sha256");
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        callback(new TooLargeError(maxBytes));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { stream, result: () => ({ bytes, sha256: hash.digest("hex") }) };
}
