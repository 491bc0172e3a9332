import { parseArgs } from "node:util";
import { startApi, startWorker, until } from "@remit/testkit";
import { invoicePdf, newTenant, upload } from "../test/tenant";

/*
 * pnpm bench:read-latency — from the end of an upload to the read being stored, for a one-page
 * text PDF, with an idle worker (the case the one-second poll made slow: a text PDF waited up to
 * 0.5 s of its 0.6 s in the queue). The API and the worker run as deployed, each its own process;
 * each upload waits until the worker's claim is waiting again at the API. Reports the median and
 * the slowest, and how much of it was queue wait (upload end → claim).
 */

const { values } = parseArgs({ options: { uploads: { type: "string", default: "10" } } });
const count = Number(values.uploads);

const api = await startApi({ LOG_LEVEL: "warn" });
const worker = startWorker(api.url, {}, ["--concurrency", "1"]);
try {
  const { client, token } = await newTenant(api.url, "latency");
  const waitingClaims = async () => {
    const text = await (await fetch(`${api.url}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith("remit_job_claims_waiting"));
    return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
  };
  const total: number[] = [];
  const queued: number[] = [];
  for (let i = 0; i < count; i++) {
    await until("the worker to be idle", async () => ((await waitingClaims()) >= 1 ? true : null));
    const pdf = await invoicePdf([`Rechnung Nr. L-${i}`, "Gesamtbetrag 119,00 EUR"]);
    const invoiceId = await upload(api.url, token, `l-${i}.pdf`, pdf);
    const uploaded = performance.now();
    let claimedAt: number | null = null;
    for (;;) {
      const invoice = await client.invoice.get.query({ id: invoiceId });
      if (claimedAt === null && invoice.ocr && invoice.ocr.status !== "queued") {
        claimedAt = performance.now();
      }
      if (invoice.ocr?.status === "succeeded") break;
      if (invoice.ocr?.status === "failed") throw new Error("the read failed");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    total.push(performance.now() - uploaded);
    queued.push((claimedAt ?? performance.now()) - uploaded);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  console.log(
    `bench:read-latency: upload→read median ${median(total).toFixed(0)} ms, ` +
      `slowest ${Math.max(...total).toFixed(0)} ms; upload→claimed median ` +
      `${median(queued).toFixed(0)} ms (${count} text PDFs, idle worker, polled every 5 ms)`,
  );
} finally {
  await worker.kill("SIGTERM");
  await api.stop();
}
