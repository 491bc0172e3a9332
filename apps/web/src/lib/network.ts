import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { isNetworkError } from "./errors";

/*
 * One flag for "the API could not be reached", raised by any query or mutation that failed
 * without an answer and lowered by the next one that got one (or by the browser going online).
 */
let offline = typeof navigator !== "undefined" && navigator.onLine === false;
const listeners = new Set<() => void>();

function setOffline(next: boolean) {
  if (next === offline) return;
  offline = next;
  for (const listener of listeners) listener();
}

if (typeof window !== "undefined") {
  window.addEventListener("offline", () => setOffline(true));
  window.addEventListener("online", () => setOffline(false));
}

export function useOffline() {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => offline,
  );
}

export function createQueryClient() {
  const onError = (error: unknown) => {
    if (isNetworkError(error)) setOffline(true);
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError, onSuccess: () => setOffline(false) }),
    mutationCache: new MutationCache({ onError, onSuccess: () => setOffline(false) }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        // A refusal (not found, forbidden, bad input) will not change on retry; a lost
        // connection might.
        retry: (failures, error) => isNetworkError(error) && failures < 3,
      },
    },
  });
}
