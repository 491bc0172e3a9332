/**
 * The bearer token of a request: the one place `Authorization` is parsed. A value without the
 * `Bearer ` scheme is taken whole, as it always was, so a malformed header is still a
 * (rejected) credential rather than no credential.
 */
export function bearerOf(headers: Headers): string | undefined {
  const value = headers
    .get("authorization")
    ?.replace(/^Bearer\s+/i, "")
    .trim();
  return value || undefined;
}
