import { createRemitClient, signUp } from "@remit/client";
import { png } from "../test/files";
import { startLiveServer } from "../test/live-server";

/*
 * pnpm bench:upload — the two upload figures the brief asks for, on the real server over HTTP:
 * memory while a 100 MB body is sent (it must stay flat: the 10 MB + 1st byte ends it), and
 * the time from asking for a signed link to the first byte of a 1 MB file.
 */

// The same real server the tests use: test database (PGlite here), local storage, a real port.
const live = await startLiveServer();
const url = live.url;

const token = await signUp(url, {
  name: "Bench",
  email: `bench-${Date.now()}@example.test`,
  password: "bench password 123",
});
const client = createRemitClient({ url, token });
await client.tenant.create.mutate({ name: "Bench", slug: `bench-${Date.now()}` });

const mb = 1024 * 1024;
const boundary = "----remitbench";

/** A multipart body of `size` bytes of PNG-looking data, generated as it is sent. */
function streamingBody(size: number): ReadableStream<Uint8Array> {
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.png"\r\nContent-Type: image/png\r\n\r\n`,
  );
  const chunk = Buffer.alloc(64 * 1024, 0x42);
  let sent = 0;
  let started = false;
  return new ReadableStream({
    pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(new Uint8Array(Buffer.concat([head, png(4, 4).subarray(0, 64)])));
        return;
      }
      if (sent >= size) {
        controller.enqueue(new Uint8Array(Buffer.from(`\r\n--${boundary}--\r\n`)));
        controller.close();
        return;
      }
      sent += chunk.length;
      controller.enqueue(new Uint8Array(chunk));
    },
  });
}

async function sendHuge(size: number): Promise<{ status: number; peakRssDelta: number }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const response = await fetch(`${url}/api/invoices/upload`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": `multipart/form-data; boundary=${boundary}`,
    },
    body: streamingBody(size),
    duplex: "half",
  } as RequestInit).catch(() => null);
  await response?.text().catch(() => "");
  clearInterval(sampler);
  return { status: response?.status ?? 0, peakRssDelta: peak - base };
}

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const p99 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)] ?? Number.NaN;

console.log(`bench:upload (${live.handle.kind}, local storage, over HTTP on loopback)`);
for (const size of [20 * mb, 100 * mb]) {
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await sendHuge(size));
  console.log(
    `  ${size / mb} MB body: status ${runs.map((r) => r.status).join("/")}, peak RSS growth ` +
      `${runs.map((r) => (r.peakRssDelta / mb).toFixed(1)).join(" / ")} MB`,
  );
}

// A 1 MB image (random pixels do not compress), then link + first byte, 200 times.
const form = new FormData();
const oneMb = png(1024, 1024, undefined, "noise");
form.append("file", new Blob([new Uint8Array(oneMb)], { type: "image/png" }), "one.png");
const uploaded = (await (
  await fetch(`${url}/api/invoices/upload`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  })
).json()) as { invoiceId: string };
const timings: number[] = [];
for (let i = 0; i < 200; i++) {
  const started = performance.now();
  const { url: link } = await client.invoice.fileUrl.query({ id: uploaded.invoiceId });
  const response = await fetch(link, { headers: { authorization: `Bearer ${token}` } });
  const reader = response.body?.getReader();
  await reader?.read();
  timings.push(performance.now() - started);
  await reader?.cancel();
}
console.log(
  `  ${(oneMb.length / mb).toFixed(2)} MB file, signed link issued + first byte served: p50 ${median(timings).toFixed(2)} ms, p99 ${p99(timings).toFixed(2)} ms (target < 50 ms)`,
);

await live.close();
