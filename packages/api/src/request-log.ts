import { AsyncLocalStorage } from "node:async_hooks";

/** Who a request is for, as far as it is known yet: added to every log line it writes. */
export interface RequestLogFields {
  requestId: string;
  tenantId?: string;
  userId?: string;
}

const storage = new AsyncLocalStorage<RequestLogFields>();

/**
 * Runs a request with its log fields in an AsyncLocalStorage. The HTTP layer starts it with the
 * request id; the tenant and user are only known once the credential is checked and the tenant
 * resolved, deep inside tRPC or an upload handler, so those steps fill them in with
 * bindRequestLog() and every later line (the request line included) carries them. A logger's
 * mixin reads requestLogFields(), so no code has to thread a child logger through.
 */
export function runWithRequestLog<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

/** Adds the tenant and/or user to the current request's log fields (outside a request: nothing). */
export function bindRequestLog(fields: { tenantId?: string; userId?: string }): void {
  const current = storage.getStore();
  if (!current) return;
  if (fields.tenantId) current.tenantId = fields.tenantId;
  if (fields.userId) current.userId = fields.userId;
}

/** The current request's log fields, for a pino mixin; empty outside a request. */
export function requestLogFields(): Partial<RequestLogFields> {
  return { ...storage.getStore() };
}
