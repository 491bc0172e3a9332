import type { Worker } from "tesseract.js";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ExtractError } from "../src/errors";
import { OcrPool } from "../src/ocr/pool";
import { renderToPng, textPdf } from "./engine-fixtures";

/** A real, small image: one line of large type that tesseract reads in a fraction of a second. */
let image: Uint8Array;
beforeAll(async () => {
  const pdf = await textPdf([[{ text: "INVOICE 42", x: 20, y: 60, size: 32 }]], {
    width: 300,
    height: 90,
  });
  image = renderToPng(pdf);
});

const read = (worker: Worker) => worker.recognize(Buffer.from(image)).then(({ data }) => data.text);

/** Runs a job and also reports which worker ran it. */
function readWith(pool: OcrPool, timeoutMs?: number) {
  let ranOn: Worker | undefined;
  const text = pool.run(
    (worker) => {
      ranOn = worker;
      return read(worker);
    },
    { timeoutMs },
  );
  return text.then((value) => ({ text: value, worker: ranOn }));
}

/**
 * tesseract.js runs each worker in a worker_thread, whose message port is an active handle
 * of this process until the thread has ended: counting them shows whether a kill happened.
 */
const liveWorkerThreads = () =>
  process.getActiveResourcesInfo().filter((resource) => resource === "MessagePort").length;

let pool: OcrPool | undefined;
let baseline = 0;
beforeAll(() => {
  baseline = liveWorkerThreads();
});
afterEach(async () => {
  await pool?.close();
  pool = undefined;
  // Threads end asynchronously after terminate(); the next test counts from a clean slate.
  await vi.waitFor(() => expect(liveWorkerThreads()).toBe(baseline));
});

describe("OCR pool", () => {
  it("kills a worker whose job exceeds the timeout, replaces it, and serves the next job", async () => {
    pool = new OcrPool({ size: 1 });
    const first = await readWith(pool);
    expect(liveWorkerThreads()).toBe(baseline + 1);
    expect(first.text).toMatch(/INVOICE 42/);

    let stuck: Worker | undefined;
    const timedOut = pool.run(
      (worker) => {
        stuck = worker;
        return read(worker);
      },
      { timeoutMs: 1 },
    );
    await expect(timedOut).rejects.toMatchObject({ name: "ExtractError", code: "timeout" });
    await expect(timedOut).rejects.toBeInstanceOf(ExtractError);
    expect(stuck).toBe(first.worker);
    expect(pool.stats()).toMatchObject({ started: 2, terminated: 1, timedOut: 1 });
    // The stuck thread is gone and its replacement is up: still one thread, not two.
    await vi.waitFor(() => expect(liveWorkerThreads()).toBe(baseline + 1));

    const next = await readWith(pool);
    expect(next.text).toMatch(/INVOICE 42/);
    expect(next.worker).not.toBe(first.worker);
  });

  it("recycles a worker after recycleAfter jobs", async () => {
    pool = new OcrPool({ size: 1, recycleAfter: 2 });
    const runs = [];
    for (let job = 0; job < 3; job += 1) runs.push(await readWith(pool));
    expect(runs.map((run) => run.text.trim())).toEqual(["INVOICE 42", "INVOICE 42", "INVOICE 42"]);
    expect(runs[1]?.worker).toBe(runs[0]?.worker);
    expect(runs[2]?.worker).not.toBe(runs[0]?.worker);
    expect(pool.stats()).toMatchObject({ started: 2, terminated: 1, recycled: 1 });
  });

  it("queues jobs while every worker is busy and runs them in order", async () => {
    pool = new OcrPool({ size: 1 });
    const order: number[] = [];
    const jobs = [1, 2, 3].map((n) =>
      pool?.run(async (worker) => {
        order.push(n);
        return read(worker);
      }),
    );
    expect(pool.stats()).toMatchObject({ busy: 1, queued: 2 });
    await Promise.all(jobs);
    expect(order).toEqual([1, 2, 3]);
    expect(pool.stats()).toMatchObject({ started: 1, busy: 0, queued: 0 });
  });

  it("close() terminates every worker and rejects running, queued and later jobs", async () => {
    pool = new OcrPool({ size: 2 });
    const both = await Promise.all([readWith(pool), readWith(pool)]);
    expect(both[0].worker).not.toBe(both[1].worker);

    const running = pool.run(read);
    const queued = [pool.run(read), pool.run(read)];
    await pool.close();
    await expect(running).rejects.toThrow("The OCR pool is closed.");
    for (const job of queued) await expect(job).rejects.toThrow("The OCR pool is closed.");
    await expect(pool.run(read)).rejects.toThrow("The OCR pool is closed.");
    expect(pool.stats()).toMatchObject({ started: 2, terminated: 2 });
    await vi.waitFor(() => expect(liveWorkerThreads()).toBe(baseline));
  });
});
