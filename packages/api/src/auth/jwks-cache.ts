import {
  createLocalJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyOptions,
  jwtVerify,
} from "jose";

/*
 * The public keys JWTs are verified with, read from the database (better-auth's jwks table) once
 * and then kept, instead of on every call that presents a JWT. Rotation: a token signed with a
 * key the cached set does not have (a new key) makes the set be read again at once, and the
 * token verified against the new set; a key taken out of the table stops verifying within
 * `maxAgeMs`. A flood of tokens naming unknown keys reads the table at most once per
 * `minRefreshMs`.
 */

export interface JwksCacheSettings {
  maxAgeMs: number;
  minRefreshMs: number;
}

export const defaultJwksCacheSettings: JwksCacheSettings = {
  maxAgeMs: 300_000,
  minRefreshMs: 5000,
};

export class JwksCache {
  private current: { keys: ReturnType<typeof createLocalJWKSet>; readAt: number } | null = null;
  private reading: Promise<ReturnType<typeof createLocalJWKSet>> | null = null;

  constructor(
    private readonly read: () => Promise<JSONWebKeySet>,
    private readonly settings: JwksCacheSettings = defaultJwksCacheSettings,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Verifies a JWT against the current keys; re-reads them once for a key not yet known. */
  async verify(token: string, options: JWTVerifyOptions): Promise<JWTPayload> {
    const keys = await this.keys(false);
    try {
      return (await jwtVerify(token, keys, options)).payload;
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      const fresh = await this.keys(true);
      if (fresh === keys) throw error;
      return (await jwtVerify(token, fresh, options)).payload;
    }
  }

  private async keys(unknownKey: boolean) {
    const current = this.current;
    const age = current ? this.now() - current.readAt : Number.POSITIVE_INFINITY;
    const stale =
      age >= this.settings.maxAgeMs || (unknownKey && age >= this.settings.minRefreshMs);
    if (current && !stale) return current.keys;
    // One read at a time, shared by every call waiting for it.
    this.reading ??= this.read()
      .then((set) => {
        const keys = createLocalJWKSet(set);
        this.current = { keys, readAt: this.now() };
        return keys;
      })
      .finally(() => {
        this.reading = null;
      });
    return this.reading;
  }
}
