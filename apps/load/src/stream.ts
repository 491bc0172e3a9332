/*
 * A live subscription (events.invoices over Server-Sent Events) read as a browser's EventSource
 * would read it, kept as raw text: the checks look for invoice ids and the resync event in it.
 */

export interface LiveStream {
  text(): string;
  /** Whether the stream is still open (the server did not go away). */
  open(): boolean;
  /** When (performance.now()) the chunk that first held `needle` arrived. */
  heardAt(needle: string): number | undefined;
  /** Waits (bounded) until the text contains `needle`; true if it did. */
  heard(needle: string, timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function openStream(url: string, token: string): Promise<LiveStream> {
  const stop = new AbortController();
  const response = await fetch(`${url}/api/trpc/events.invoices`, {
    headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
    signal: stop.signal,
  });
  if (!response.ok) throw new Error(`events.invoices answered ${response.status}`);
  let text = "";
  let open = true;
  /** Where each chunk starts in the text, and when it arrived. */
  const arrivals: Array<{ offset: number; at: number }> = [];
  const reading = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body ?? []) {
        arrivals.push({ offset: text.length, at: performance.now() });
        text += decoder.decode(chunk as Uint8Array);
      }
    } catch {
      // aborted, or the server went away
    }
    open = false;
  })();
  return {
    text: () => text,
    open: () => open,
    heardAt(needle) {
      const index = text.indexOf(needle);
      if (index === -1) return undefined;
      return arrivals.findLast((a) => a.offset <= index)?.at;
    },
    async heard(needle, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!text.includes(needle)) {
        if (Date.now() > deadline || !open) return text.includes(needle);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return true;
    },
    async close() {
      stop.abort();
      await reading;
    },
  };
}
