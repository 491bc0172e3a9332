import { isDatabaseUnavailable, sqlState } from "@remit/db";
import { TooLargeError } from "@remit/storage";
import { type TRPC_ERROR_CODE_KEY, TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";

/*
 * Errors mapped in one place. Domain errors are thrown by query functions; database errors are
 * recognised by SQLSTATE (Remit's own RM0xx from the lifecycle triggers, and PostgreSQL's). The
 * caller gets a code and a sentence, never SQL, a constraint name or another tenant's data.
 */

export class NotFoundError extends Error {
  constructor(readonly entity: string) {
    super(`${entity} not found`);
  }
}

export class ConflictError extends Error {}
export class PreconditionError extends Error {}
export class ForbiddenError extends Error {}
export class UnauthorizedError extends Error {}
/** The request itself is malformed (a cut-off multipart body, no file). */
export class BadRequestError extends Error {}
/** A file whose type is not accepted (from its bytes). */
export class UnsupportedMediaError extends Error {}
/** A file of an accepted type that fails the deeper checks (active content, polyglot, damage). */
export class UnprocessableError extends Error {}
export class PayloadTooLargeError extends Error {}

/** Domain errors, tRPC codes, and so HTTP statuses: one table for tRPC and plain routes alike. */
const byClass: Array<[new (...args: never[]) => Error, TRPC_ERROR_CODE_KEY]> = [
  [NotFoundError, "NOT_FOUND"],
  [ConflictError, "CONFLICT"],
  [PreconditionError, "PRECONDITION_FAILED"],
  [ForbiddenError, "FORBIDDEN"],
  [UnauthorizedError, "UNAUTHORIZED"],
  [BadRequestError, "BAD_REQUEST"],
  [UnsupportedMediaError, "UNSUPPORTED_MEDIA_TYPE"],
  [UnprocessableError, "UNPROCESSABLE_CONTENT"],
  [PayloadTooLargeError, "PAYLOAD_TOO_LARGE"],
  [TooLargeError, "PAYLOAD_TOO_LARGE"],
];

const bySqlState: Record<string, [TRPC_ERROR_CODE_KEY, string]> = {
  RM001: ["PRECONDITION_FAILED", "the invoice is approved and locked; it can no longer change"],
  RM002: ["BAD_REQUEST", "that status change is not allowed from the invoice's current status"],
  RM003: ["FORBIDDEN", "your role may not make that status change"],
  RM004: ["BAD_REQUEST", "an invoice's tenant, id and creator cannot change"],
  RM005: ["BAD_REQUEST", "the global supplier was not found"],
  RM006: [
    "FORBIDDEN",
    "separation of duties: you submitted this invoice, so someone else must verify it",
  ],
  RM007: [
    "FORBIDDEN",
    "separation of duties: you submitted or verified this invoice, so someone else must approve it",
  ],
  RM008: ["PRECONDITION_FAILED", "the invoice's approval policy is not met yet"],
  RM009: ["CONFLICT", "you have already approved this invoice"],
  RM010: ["BAD_REQUEST", "the payment date may not be in the future"],
  "42501": ["FORBIDDEN", "not allowed"],
  "23503": ["NOT_FOUND", "a record this refers to was not found"],
  "23505": ["CONFLICT", "that already exists"],
  "23514": ["BAD_REQUEST", "a value is outside what is allowed"],
  "23502": ["BAD_REQUEST", "a required value is missing"],
  "22P02": ["BAD_REQUEST", "a value has the wrong format"],
  "22003": ["BAD_REQUEST", "a number is out of range"],
  "22007": ["BAD_REQUEST", "a date has the wrong format"],
  "22008": ["BAD_REQUEST", "a date is out of range"],
  "22001": ["BAD_REQUEST", "a value is too long"],
  "22021": ["BAD_REQUEST", "a text contains a character that is not allowed (NUL)"],
};

/** What a caller reads while PostgreSQL is restarting, failing over or out of connections. */
export const databaseUnavailableMessage = "the database is unavailable, try again";

/** Turns anything thrown inside a procedure into the TRPCError the caller sees. */
export function toTRPCError(error: unknown): TRPCError {
  const cause = error instanceof TRPCError && error.cause ? error.cause : error;
  if (error instanceof TRPCError && (!error.cause || error.code !== "INTERNAL_SERVER_ERROR")) {
    return error;
  }
  for (const [type, code] of byClass) {
    if (cause instanceof type) return new TRPCError({ code, message: cause.message, cause });
  }
  if (isDatabaseUnavailable(cause)) {
    return new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: databaseUnavailableMessage,
      cause,
    });
  }
  const state = sqlState(cause);
  const known = state ? bySqlState[state] : undefined;
  if (known) return new TRPCError({ code: known[0], message: known[1], cause });
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "internal error", cause });
}

/** The same mapping for a plain HTTP route: a status and a sentence, never a stack or SQL. */
export function toHttpError(error: unknown): { status: number; body: { error: string } } {
  const mapped = toTRPCError(error);
  return { status: getHTTPStatusCodeFromError(mapped), body: { error: mapped.message } };
}

const authStatuses: Record<string, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  UNPROCESSABLE_ENTITY: "BAD_REQUEST",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
};

/** Runs a better-auth call and turns its APIError into the same kind of answer as ours. */
export async function authCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    const message = (error as { body?: { message?: unknown } }).body?.message;
    if (typeof status === "string" && authStatuses[status]) {
      throw new TRPCError({
        code: authStatuses[status],
        message: typeof message === "string" ? message.toLowerCase() : status.toLowerCase(),
      });
    }
    throw error;
  }
}
