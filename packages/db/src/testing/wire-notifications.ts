import {
  type ChannelHandlers,
  checkChannel,
  type Notifications,
  notifyBatch,
} from "../notifications";
import type { Database } from "../types";

/**
 * Notifications for PGlite behind the test wire port. PGlite is one session and the port takes
 * one connection, so there is no second connection to LISTEN on. The notify still runs its SQL
 * (the same statement production sends, checked and executed), and once it has run, which is
 * when PostgreSQL would deliver it after its autocommit, the payloads are handed to this
 * process's listeners in order. There is nothing to lose, so nothing to resume.
 */
export function wireNotifications(db: Database): Notifications {
  const channels = new Map<string, Set<ChannelHandlers>>();
  return {
    async listen(channel, handlers) {
      checkChannel(channel);
      let set = channels.get(channel);
      if (!set) {
        set = new Set();
        channels.set(channel, set);
      }
      set.add(handlers);
      return async () => {
        set.delete(handlers);
        if (set.size === 0 && channels.get(channel) === set) channels.delete(channel);
      };
    },
    async notify(messages) {
      await notifyBatch(db, messages);
      for (const { channel, payload } of messages) {
        for (const handlers of channels.get(channel) ?? []) handlers.onPayload(payload);
      }
    },
    close: async () => {
      channels.clear();
    },
  };
}
