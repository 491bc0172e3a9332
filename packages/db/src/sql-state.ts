/** The PostgreSQL SQLSTATE behind an error, through Drizzle's wrapping, from either driver. */
export function sqlState(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

// Class 08 (connection exception), 57P01-57P03 (admin or crash shutdown, starting up) and 53300
// (too many connections): the server is gone or not taking work, whatever the statement was.
const unavailableState = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
// postgres.js's own codes for a connection that closed or never opened, and socket errors.
const unavailableCode = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/** Whether an error means the database cannot be reached right now (retrying may help). */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (unavailableState.test(code) || unavailableCode.has(code))) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
