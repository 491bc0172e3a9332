import { TRPCClientError } from "@trpc/client";

interface ErrorData {
  code?: string;
  httpStatus?: number;
  zodError?: { formErrors: string[]; fieldErrors: Record<string, string[] | undefined> } | null;
}

function dataOf(error: unknown): ErrorData | null {
  if (error instanceof TRPCClientError) return (error.data ?? null) as ErrorData | null;
  return null;
}

/** True when the request never got an answer (offline, server down, proxy refused). */
export function isNetworkError(error: unknown): boolean {
  if (error instanceof TRPCClientError) {
    const data = dataOf(error);
    if (data?.httpStatus) return false;
    return /fetch|network|load failed/i.test(error.message);
  }
  return error instanceof TypeError && /fetch|network|load failed/i.test(error.message);
}

/** One sentence for people: the server's message, never raw JSON. */
export function messageOf(error: unknown): string {
  if (!error) return "";
  if (isNetworkError(error)) return "Could not reach Remit. Check your connection and try again.";
  const data = dataOf(error);
  const zod = data?.zodError;
  if (zod) {
    const first = zod.formErrors[0] ?? Object.values(zod.fieldErrors).flat()[0];
    if (first) return `Please correct the form: ${first}.`;
  }
  if (error instanceof Error) {
    const message = error.message.trim();
    if (message.startsWith("{") || message.startsWith("[")) return "Something went wrong.";
    return message ? capitalise(message) : "Something went wrong.";
  }
  return "Something went wrong.";
}

/** The server's per-field messages (zod's flattened fieldErrors), by input name. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  const fields = dataOf(error)?.zodError?.fieldErrors ?? {};
  const out: Record<string, string> = {};
  for (const [key, messages] of Object.entries(fields)) {
    if (messages?.[0]) out[key] = messages[0];
  }
  return out;
}

export function codeOf(error: unknown): string | undefined {
  return dataOf(error)?.code;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
