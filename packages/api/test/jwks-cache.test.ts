import { exportJWK, generateKeyPair, type JSONWebKeySet, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { JwksCache } from "../src/auth/jwks-cache";

/*
 * The JWT keys are read once and kept (auth/jwks-cache.ts); a token signed with a key the cache
 * has not seen (a rotation) makes it read the keys again, at most once per minRefreshMs.
 */

const issuer = "http://remit.test";

async function key(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "EdDSA" };
  const sign = (sub: string) =>
    new SignJWT({ sub })
      .setProtectedHeader({ alg: "EdDSA", kid })
      .setIssuer(issuer)
      .setAudience(issuer)
      .setExpirationTime("5m")
      .sign(privateKey);
  return { jwk, sign };
}

describe("JwksCache", () => {
  it("reads the keys once, and again when a token names a new key", async () => {
    const first = await key("k1");
    const second = await key("k2");
    const published: JSONWebKeySet = { keys: [first.jwk] };
    let reads = 0;
    let now = 0;
    const cache = new JwksCache(
      async () => {
        reads++;
        return { keys: [...published.keys] };
      },
      { maxAgeMs: 60_000, minRefreshMs: 1000 },
      () => now,
    );
    const options = { issuer, audience: issuer };
    expect((await cache.verify(await first.sign("u1"), options)).sub).toBe("u1");
    expect((await cache.verify(await first.sign("u2"), options)).sub).toBe("u2");
    expect(reads).toBe(1);

    // Rotation: the new key is published; its first token makes the cache read again.
    published.keys.push(second.jwk);
    now = 2000;
    expect((await cache.verify(await second.sign("u3"), options)).sub).toBe("u3");
    expect(reads).toBe(2);

    // An unknown key within minRefreshMs is refused without another read.
    const stranger = await key("k3");
    await expect(cache.verify(await stranger.sign("u4"), options)).rejects.toThrow();
    expect(reads).toBe(2);

    // A key withdrawn from the table stops verifying once the cached set is too old.
    published.keys.splice(0, 1);
    now = 70_000;
    await expect(cache.verify(await first.sign("u5"), options)).rejects.toThrow();
    expect(reads).toBe(3);
  });
});
