import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";

/*
 * An endpoint's signing secret: made here, shown to the admin once (at creation and at each
 * rotation), and stored sealed with AES-256-GCM under a key derived (HKDF) from the server
 * secret, so a database dump or backup alone cannot sign as Remit. The seal is bound to the
 * endpoint's (tenant id, id): a sealed secret copied onto another endpoint row does not open.
 * Rotating BETTER_AUTH_SECRET makes stored secrets unreadable: rotate every endpoint's secret
 * after it (docs/webhooks.md).
 */

const version = "v1";

export interface SecretBinding {
  tenantId: string;
  endpointId: string;
}

/** The sealing key, derived once from the server secret. */
export function webhookSecretKey(serverSecret: string): Buffer {
  return Buffer.from(
    hkdfSync("sha256", serverSecret, "remit", "remit webhook endpoint secrets v1", 32),
  );
}

/** 32 random bytes, prefixed so that people can tell what they are holding. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

export function secretHint(secret: string): string {
  return secret.slice(-4);
}

const aad = (binding: SecretBinding) => Buffer.from(`${binding.tenantId}:${binding.endpointId}`);

export function sealSecret(key: Buffer, secret: string, binding: SecretBinding): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad(binding));
  const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [version, iv, sealed, cipher.getAuthTag()]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** The secret, or an error when the seal was made with another key or for another row. */
export function openSecret(key: Buffer, sealed: string, binding: SecretBinding): string {
  const [v, iv, body, tag] = sealed.split(".");
  if (v !== version || !iv || !body || !tag) throw new Error("not a sealed webhook secret");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(aad(binding));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(body, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}

/**
 * `Remit-Webhook-Signature`: `v1=` + hex HMAC-SHA256, keyed with the secret exactly as shown to
 * the admin (its UTF-8 bytes), of `<timestamp>.<body>`. The timestamp is signed too, so a
 * captured request cannot be replayed later with a fresh timestamp.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}
