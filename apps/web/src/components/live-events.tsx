import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useRef } from "react";
import type { LiveStore } from "../lib/live";
import { useTRPC } from "../lib/trpc";

/**
 * The tenant's live stream (SSE): OCR progress goes into the live store, and any change to an
 * invoice invalidates the queries that show it. Invalidations of the list are coalesced, so a
 * burst of uploads refetches it once. Events may have been missed whenever the stream was down
 * (the server says so with a "resync" event after its own listening connection came back; the
 * browser knows it when its connection to the server starts again): then everything shown is
 * read again.
 */
export function LiveEvents({
  store,
  onStatus,
}: {
  store: LiveStore;
  onStatus: (status: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
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
      void queryClient.invalidateQueries(trpc.invoice.list.pathFilter());
      void queryClient.invalidateQueries(trpc.invoice.waiting.pathFilter());
      void queryClient.invalidateQueries(trpc.invoice.waitingCount.pathFilter());
    }, 400);
  };

  const starts = useRef(0);
  const refetchAll = () => {
    void queryClient.invalidateQueries(trpc.invoice.pathFilter());
    void queryClient.invalidateQueries(trpc.comment.pathFilter());
  };

  const subscription = useSubscription(
    trpc.events.invoices.subscriptionOptions(undefined, {
      onStarted() {
        // Not the first start: the connection dropped (an API process went away, the network
        // blinked) and what happened meanwhile was not heard.
        if (++starts.current > 1) refetchAll();
      },
      onData(event) {
        if (event.kind === "resync") {
          refetchAll();
          return;
        }
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
          case "job.failed": {
            // A retryable failure goes back to the queue; "failed" and "dead" are final.
            const status =
              event.status === "dead" || event.status === "failed" ? event.status : "queued";
            store.set(id, { status });
            // Events carry ids and states only: the reason is read from the invoice, under this
            // session, and shown wherever the live state is (the upload list too).
            if (status !== "queued") {
              void queryClient
                .fetchQuery(trpc.invoice.get.queryOptions({ id }, { staleTime: 0 }))
                .then((invoice) => {
                  if (store.get(id)?.status !== status) return; // newer news arrived meanwhile
                  store.set(id, { status, message: invoice.ocr?.lastError ?? undefined });
                })
                .catch(() => {});
            }
            break;
          }
          default:
            break;
        }
        refreshList();
        void queryClient.invalidateQueries(trpc.invoice.get.queryFilter({ id }));
        void queryClient.invalidateQueries(trpc.invoice.pageUrls.queryFilter({ id }));
        void queryClient.invalidateQueries(trpc.comment.list.queryFilter({ invoiceId: id }));
      },
    }),
  );

  useEffect(() => onStatus(subscription.status), [subscription.status, onStatus]);
  return null;
}
