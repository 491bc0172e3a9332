import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { PasswordHasher } from "./create-auth";

/**
 * For tests only: a salted SHA-256, microseconds where scrypt takes tens of milliseconds of
 * CPU. The suite signs up hundreds of people; what it tests is who may do what, not how hard a
 * stolen hash is to crack. Never pass this to a server that real people sign in to.
 */
export const fastTestPasswordHasher: PasswordHasher = {
  async hash(password) {
    const salt = randomBytes(16).toString("hex");
    return `${salt}:${digest(salt, password).toString("hex")}`;
  },
  async verify({ hash, password }) {
    const [salt = "", key = ""] = hash.split(":");
    const expected = Buffer.from(key, "hex");
    const actual = digest(salt, password);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  },
};

function digest(salt: string, password: string): Buffer {
  return createHash("sha256")
    .update(`${salt}:${password.normalize("NFKC")}`)
    .digest();
}
