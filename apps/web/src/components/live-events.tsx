import { useEffect, useRef } from "react";
import type { LiveStore } from "../lib/live";
import { trpc } from "../lib/trpc";

/**
 * The tenant's live stream (SSE): OCR progress goes into the live store, and any change to an
 * invoice invalidates the queries that show it. Invalidations of the list are coalesced, so a
 * burst of uploads refetches it once.
 */
export function LiveEvents({
  store,
  onStatus,
}: {
  store: LiveStore;
  onStatus: (status: string) => void;
}) {
  const utils = trpc.useUtils();
  const listTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (listTimer.current) clearTimeout(listTimer.current);
    },
    [],
  );

  const refreshList = () => {
    if (listTimer.current) return;
    listTimer.current = setTimeout(() => {
      listTimer.current = null;
      void utils.invoice.list.invalidate();
    }, 400);
  };

  const subscription = trpc.events.invoices.useSubscription(undefined, {
    onData(event) {
      const id = event.invoiceId;
      switch (event.kind) {
        case "job.progress":
          store.set(id, {
            status: event.status === "queued" ? "queued" : "running",
            progress: event.progress,
          });
          return;
        case "job.succeeded":
          store.set(id, { status: "succeeded", progress: 100 });
          break;
        case "job.failed":
          store.set(id, {
            // A retryable failure goes back to the queue; "failed" and "dead" are final.
            status: event.status === "dead" || event.status === "failed" ? event.status : "queued",
            message: event.message,
          });
          break;
        default:
          break;
      }
      refreshList();
      void utils.invoice.get.invalidate({ id });
      void utils.invoice.pageUrls.invalidate({ id });
      void utils.comment.list.invalidate({ invoiceId: id });
    },
  });

  useEffect(() => onStatus(subscription.status), [subscription.status, onStatus]);
  return null;
}
