import type { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import type { Database } from "./types";

/**
 * PostgreSQL LISTEN/NOTIFY, the same on both drivers: every process that listens on a channel
 * hears what any process notified on it, once the notifying transaction has committed.
 */
export interface Notifications {
  /**
   * Listens on `channel` until the returned function is called. `onResume` runs when the
   * listening connection was lost and is listening again: what was notified in between is gone,
   * so whoever relies on the channel must catch up some other way (re-read).
   */
  listen(channel: string, handlers: ChannelHandlers): Promise<() => Promise<void>>;
  /** Sends the messages in one statement, so they arrive in this order. */
  notify(messages: ReadonlyArray<{ channel: string; payload: string }>): Promise<void>;
  /** Closes the listening connection, if one was opened. */
  close(): Promise<void>;
}

export interface ChannelHandlers {
  onPayload(payload: string): void;
  onResume(): void;
}

/** Channel names are plain lower-case identifiers: nothing to quote, nothing folded. */
const channelName = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkChannel(channel: string): void {
  if (!channelName.test(channel)) throw new Error(`not a channel name: ${channel}`);
}

/**
 * One statement for a batch: pg_notify for each element, in array order. PostgreSQL delivers a
 * transaction's notifications in the order they were sent (identical channel-and-payload pairs
 * within one transaction are delivered once, which a payload that changes never hits).
 */
export async function notifyBatch(
  db: Database,
  messages: ReadonlyArray<{ channel: string; payload: string }>,
): Promise<void> {
  if (messages.length === 0) return;
  for (const m of messages) checkChannel(m.channel);
  await db.execute(
    sql`select pg_notify(m->>'channel', m->>'payload')
        from jsonb_array_elements(${JSON.stringify(messages)}::jsonb) with ordinality as t(m, n)
        order by n`,
  );
}

/**
 * The embedded database: one process, one session, nothing to lose, so nothing to resume. The
 * notification is PostgreSQL's own (PGlite runs the same server code), so the embedded mode
 * goes through the same path as a cluster of API processes.
 */
export function pgliteNotifications(client: PGlite, db: Database): Notifications {
  return {
    async listen(channel, handlers) {
      checkChannel(channel);
      const unlisten = await client.listen(channel, handlers.onPayload);
      return async () => {
        await unlisten().catch(() => {});
      };
    },
    notify: (messages) => notifyBatch(db, messages),
    close: async () => {},
  };
}

interface Channel {
  handlers: Set<ChannelHandlers>;
  /** Settles once LISTEN has run for this channel on the current connection. */
  ready: Promise<void>;
}

const resumeFirstDelayMs = 250;
const resumeMaxDelayMs = 5000;

/**
 * A server: one dedicated connection per process listens on every channel this process's
 * subscribers need (postgres.js delivers each notification to `onnotify`). When that connection
 * closes (the server restarted, an operator terminated it, the network dropped), the listener
 * connects again, LISTENs again on every channel still wanted, retrying with backoff until it
 * succeeds or the process closes it, and then tells every handler to resume.
 *
 * postgres.js has `sql.listen`, which re-listens by itself; it is not used because a re-listen
 * that fails (a server down for longer than the connect timeout) is dropped silently, and the
 * subscribers would wait for events that never come.
 */
export function postgresNotifications(
  url: string,
  db: Database,
  options: { connectTimeoutSeconds: number },
): Notifications {
  const channels = new Map<string, Channel>();
  let client: postgres.Sql | null = null;
  let closed = false;
  /** Bumped on every close of the listening connection, so a resume knows whether it held. */
  let generation = 0;
  let resuming = false;

  const dispatch = (channel: string, payload: string) => {
    for (const handlers of channels.get(channel)?.handlers ?? []) handlers.onPayload(payload);
  };

  const connection = (): postgres.Sql => {
    if (client) return client;
    // postgres.js reads `onnotify` (its own sql.listen uses it) but does not declare it.
    const undeclared = { onnotify: dispatch };
    client = postgres(url, {
      ...undeclared,
      max: 1,
      // The connection is the subscription: it must not be recycled or closed when idle.
      idle_timeout: 0,
      max_lifetime: null,
      connect_timeout: options.connectTimeoutSeconds,
      // Notice a dead peer within a minute or so rather than the operating system's two hours.
      keep_alive: 15,
      fetch_types: false,
      onnotice: () => {},
      onclose: () => {
        generation++;
        if (!closed && channels.size > 0 && !resuming) void resume();
      },
      connection: { application_name: "remit-events" },
    });
    return client;
  };

  const listenOn = async (channel: string) => {
    const sqlClient = connection();
    await sqlClient`listen ${sqlClient(channel)}`;
  };

  async function resume(): Promise<void> {
    resuming = true;
    let delay = resumeFirstDelayMs;
    try {
      while (!closed && channels.size > 0) {
        const before = generation;
        try {
          for (const channel of [...channels.keys()]) await listenOn(channel);
          if (generation === before) {
            for (const channel of channels.values()) {
              for (const handlers of channel.handlers) handlers.onResume();
            }
            return;
          }
          // Lost again while re-listening: go round at once, the connection is fresh.
          continue;
        } catch {
          // Still down: wait and try again, for as long as anyone is listening.
        }
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
        delay = Math.min(delay * 2, resumeMaxDelayMs);
      }
    } finally {
      resuming = false;
    }
  }

  return {
    async listen(channel, handlers) {
      checkChannel(channel);
      if (closed) throw new Error("notifications are closed");
      let entry = channels.get(channel);
      if (!entry) {
        entry = { handlers: new Set(), ready: listenOn(channel) };
        channels.set(channel, entry);
      }
      entry.handlers.add(handlers);
      try {
        await entry.ready;
      } catch (error) {
        entry.handlers.delete(handlers);
        if (entry.handlers.size === 0 && channels.get(channel) === entry) channels.delete(channel);
        throw error;
      }
      return async () => {
        const current = channels.get(channel);
        if (!current?.handlers.delete(handlers) || current.handlers.size > 0) return;
        channels.delete(channel);
        const sqlClient = client;
        if (!sqlClient) return;
        // If the connection is gone, so is the LISTEN; a later resume skips this channel.
        await sqlClient`unlisten ${sqlClient(channel)}`.catch(() => {});
      };
    },
    notify: (messages) => notifyBatch(db, messages),
    async close() {
      closed = true;
      channels.clear();
      await client?.end({ timeout: 1 });
    },
  };
}
