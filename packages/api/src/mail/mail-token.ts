import { createHash, randomBytes } from "node:crypto";

/*
 * Inbound addresses are `<tenant slug>+<token>@<mail domain>`. The token is 128 random bits in
 * lower-case base32, so it survives mail systems that change the case of the local part; only
 * its SHA-256 is stored. The slug makes an address readable and is checked too, but it is no
 * secret: the token is what a sender must know.
 */

const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
const tokenShape = /^[a-z2-7]{26}$/;

/** A fresh token: 130 bits drawn, 26 base32 characters. */
export function newMailToken(): string {
  const bytes = randomBytes(26);
  let token = "";
  for (const byte of bytes) token += alphabet[byte & 31];
  return token;
}

export function hashMailToken(token: string): string {
  return createHash("sha256").update(token.toLowerCase()).digest("hex");
}

/** The last four characters, kept so admins can tell their addresses apart. */
export function tokenHint(token: string): string {
  return token.slice(-4);
}

export function formatMailAddress(slug: string, token: string, domain: string): string {
  return `${slug}+${token}@${domain}`;
}

/**
 * The slug and token of an address at our domain, or null for anything else: another domain, no
 * `+`, a token of the wrong shape. Case-insensitive, as mail domains and most local parts are.
 */
export function parseMailAddress(
  address: string,
  domain: string,
): { slug: string; token: string } | null {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf("@");
  if (at < 1 || lower.slice(at + 1) !== domain.toLowerCase()) return null;
  const local = lower.slice(0, at);
  const plus = local.lastIndexOf("+");
  if (plus < 1) return null;
  const slug = local.slice(0, plus);
  const token = local.slice(plus + 1);
  if (!tokenShape.test(token) || slug.length > 63) return null;
  return { slug, token };
}
