import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/*
 * Secrets the server must use again later (an IMAP password) are stored sealed: AES-256-GCM
 * under a key derived (HKDF-SHA256) from the server's secret for one purpose only, so that the
 * key never touches the database and a key for one purpose opens nothing of another. The
 * associated data binds a sealed value to where it belongs (tenant and row): copied into another
 * tenant's row, it does not open.
 */

const version = "v1";

export class SealedSecretError extends Error {
  override name = "SealedSecretError";
}

/** A 32-byte key for `purpose`, from the server secret (REMIT_CREDENTIALS_SECRET or the auth secret). */
export function deriveSealingKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "remit sealed secrets", purpose, 32));
}

const b64 = (buffer: Buffer) => buffer.toString("base64url");

export function seal(key: Buffer, plaintext: string, associatedData: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [version, b64(iv), b64(cipher.getAuthTag()), b64(body)].join(".");
}

/** The plaintext; SealedSecretError when the key, the associated data or the bytes do not match. */
export function unseal(key: Buffer, sealed: string, associatedData: string): string {
  const [tag, iv, authTag, body] = sealed.split(".");
  if (tag !== version || !iv || !authTag || body === undefined) {
    throw new SealedSecretError("not a sealed secret of a known version");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(associatedData, "utf8"));
    decipher.setAuthTag(Buffer.from(authTag, "base64url"));
    return Buffer.concat([
      decipher.update(Buffer.from(body, "base64url")),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    throw new SealedSecretError("the sealed secret does not open with this server's key");
  }
}
