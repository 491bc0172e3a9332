import { useState } from "react";
import { messageOf } from "./errors";

/**
 * A table row's action on an admin screen (rotate, revoke, test, delete): clears the last row
 * error, runs the work, refreshes what it changed, and keeps a failure as one sentence to show
 * above the table. The row stays as it was when the server refused.
 */
export function useRowAction(refresh: () => Promise<unknown>) {
  const [rowError, setRowError] = useState<string | null>(null);
  async function act(work: () => Promise<unknown>): Promise<void> {
    setRowError(null);
    try {
      await work();
      await refresh();
    } catch (err) {
      setRowError(messageOf(err));
    }
  }
  return { rowError, setRowError, act };
}
