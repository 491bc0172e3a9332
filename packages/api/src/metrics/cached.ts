/**
 * A value read at most once per `ttlMs`, however often it is asked for: /readyz and /metrics are
 * polled by load balancers and scrapers, and each read here is a query. Concurrent callers share
 * one read in flight. A failed read is not kept, so the next call tries again.
 */
export function cachedFor<T>(ttlMs: number, read: () => Promise<T>): () => Promise<T> {
  let value: { at: number; promise: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (value && now - value.at < ttlMs) return value.promise;
    const promise = read();
    const entry = { at: now, promise };
    value = entry;
    promise.catch(() => {
      if (value === entry) value = undefined;
    });
    return promise;
  };
}
