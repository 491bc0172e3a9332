import { createHmac, randomBytes } from "node:crypto";
import { deriveSealingKey, seal, unseal } from "../secrets/sealed-secret";

/*
 * An endpoint's signing secret: made here, shown to the admin once (at creation and at each
 * rotation), and stored sealed with AES-256-GCM under a key derived (HKDF) from the server
 * secret (secrets/sealed-secret.ts, as IMAP passwords are), so a database dump or backup alone
 * cannot sign as Remit. The seal is bound to the endpoint's (tenant id, id): a sealed secret
 * copied onto another endpoint row does not open.
 * Rotating BETTER_AUTH_SECRET makes stored secrets unreadable: rotate every endpoint's secret
 * after it (docs/webhooks.md).
 */

export interface SecretBinding {
  tenantId: string;
  endpointId: string;
}

/** The sealing key, derived once from the server secret, for this purpose only. */
export function webhookSecretKey(serverSecret: string): Buffer {
  return deriveSealingKey(serverSecret, "remit webhook endpoint secrets v1");
}

/** 32 random bytes, prefixed so that people can tell what they are holding. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

export function secretHint(secret: string): string {
  return secret.slice(-4);
}

const boundTo = (binding: SecretBinding) => `${binding.tenantId}:${binding.endpointId}`;

export function sealSecret(key: Buffer, secret: string, binding: SecretBinding): string {
  return seal(key, secret, boundTo(binding));
}

/** The secret, or SealedSecretError when the seal was made with another key or for another row. */
export function openSecret(key: Buffer, sealed: string, binding: SecretBinding): string {
  return unseal(key, sealed, boundTo(binding));
}

/**
 * `Remit-Webhook-Signature`: `v1=` + hex HMAC-SHA256, keyed with the secret exactly as shown to
 * the admin (its UTF-8 bytes), of `<timestamp>.<body>`. The timestamp is signed too, so a
 * captured request cannot be replayed later with a fresh timestamp.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}
