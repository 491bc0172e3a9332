import * as mupdf from "mupdf";

/**
 * mupdf reports what it repairs ("warning: trying to repair broken xref") through one global
 * log, which by default goes to stderr, where it would interleave with the worker's JSON
 * logs and say nothing about which document it meant. We route that log into whichever
 * capture is running: every mupdf call is synchronous, so the messages emitted during a call
 * belong to the document that call was reading. Outside a capture they are dropped.
 */
let sink: string[] | null = null;

mupdf.setLog({
  error: (message) => sink?.push(message),
  warning: (message) => sink?.push(message),
});

export interface Captured<T> {
  result: T;
  messages: string[];
}

/** Runs a synchronous mupdf call and returns what mupdf logged while it ran. */
export function captureMupdfLog<T>(call: () => T): Captured<T> {
  const outer = sink;
  const messages: string[] = [];
  sink = messages;
  try {
    return { result: call(), messages };
  } catch (error) {
    if (error instanceof MupdfFailure) throw error;
    throw new MupdfFailure(error, messages);
  } finally {
    sink = outer;
  }
}

/** A mupdf exception together with the log lines that explain it. */
export class MupdfFailure extends Error {
  override readonly name = "MupdfFailure";

  constructor(
    override readonly cause: unknown,
    readonly messages: string[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}
