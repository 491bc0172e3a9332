import { createHash } from "node:crypto";
import { startWorker, type WorkerProcess } from "@remit/testkit";
import type { ExtractingMessage, Verdict, VerdictMessage } from "./latched-worker";

export interface LatchedWorker extends WorkerProcess {
  /** Settles once the worker has begun to extract this document: its attempt is running. */
  extracting(document: Uint8Array): Promise<void>;
  /** How the worker treats this document, now and on every later attempt; until then it waits. */
  decide(document: Uint8Array, verdict: Verdict): void;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** A real worker process whose extractor the test holds on a latch (test/latched-worker.ts). */
export function startLatchedWorker(url: string, env: Record<string, string> = {}): LatchedWorker {
  const worker = startWorker(url, env, [], { entry: "test/latched-worker.ts" });
  const started = new Set<string>();
  const waiting = new Map<string, Array<() => void>>();
  worker.child.on("message", (message: ExtractingMessage) => {
    started.add(message.extracting);
    for (const resolve of waiting.get(message.extracting) ?? []) resolve();
    waiting.delete(message.extracting);
  });
  return {
    ...worker,
    extracting(document) {
      const key = sha256(document);
      if (started.has(key)) return Promise.resolve();
      return new Promise((resolve) => waiting.set(key, [...(waiting.get(key) ?? []), resolve]));
    },
    decide(document, verdict) {
      worker.child.send({ sha256: sha256(document), verdict } satisfies VerdictMessage);
    },
  };
}
