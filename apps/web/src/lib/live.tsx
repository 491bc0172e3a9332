import { createContext, useContext, useSyncExternalStore } from "react";

/*
 * What the live stream has said about each invoice's OCR job since this tenant's screens
 * mounted. It lives inside the tenant's subtree, so a switch throws it away with everything else.
 */
export interface LiveJob {
  status: "queued" | "running" | "succeeded" | "failed" | "dead";
  progress?: number | undefined;
  message?: string | undefined;
}

export function createLiveStore() {
  const jobs = new Map<string, LiveJob>();
  const listeners = new Set<() => void>();
  return {
    get: (invoiceId: string) => jobs.get(invoiceId),
    set(invoiceId: string, job: LiveJob) {
      jobs.set(invoiceId, job);
      for (const listener of listeners) listener();
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type LiveStore = ReturnType<typeof createLiveStore>;

export const LiveContext = createContext<LiveStore | null>(null);

export function useLiveJob(invoiceId: string | null | undefined): LiveJob | undefined {
  const store = useContext(LiveContext);
  return useSyncExternalStore(
    (listener) => store?.subscribe(listener) ?? (() => {}),
    () => (invoiceId ? store?.get(invoiceId) : undefined),
  );
}

type OcrStatus = LiveJob["status"] | string | null | undefined;

/** The words for an OCR state: "read", "reading… 40%", "reading failed: …". */
export function ocrText(status: OcrStatus, progress?: number | null, error?: string | null) {
  switch (status) {
    case "queued":
      return "reading… (queued)";
    case "running":
      return progress != null && progress > 0 ? `reading… ${Math.round(progress)}%` : "reading…";
    case "succeeded":
      return "read";
    case "failed":
    case "dead":
      return error ? `reading failed: ${error}` : "reading failed";
    default:
      return "not read";
  }
}

/** The live state wins over the list's or the invoice's snapshot when it is newer news. */
export function mergeOcr(
  snapshot: {
    status: string | null | undefined;
    progress?: number | null;
    lastError?: string | null;
  },
  live: LiveJob | undefined,
) {
  if (!live) return snapshot;
  const done = ["succeeded", "failed", "dead"];
  if (snapshot.status && done.includes(snapshot.status) && !done.includes(live.status)) {
    return snapshot;
  }
  // Events carry no failure reason: it comes from the snapshot, read again after the event.
  return {
    status: live.status,
    progress: live.progress ?? null,
    lastError: live.message ?? snapshot.lastError ?? null,
  };
}
