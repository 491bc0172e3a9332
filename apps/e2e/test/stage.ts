import { fileURLToPath } from "node:url";
import { type ApiProcess, startApi, startWorker, type WorkerProcess } from "@remit/testkit";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchBrowser } from "./browser";
import { type TestDocuments, testDocuments } from "./documents";

const webDist = fileURLToPath(new URL("../../web/dist", import.meta.url));

/** What a browser test plays on: the API serving the built SPA, a worker, Chromium, the documents. */
export interface Stage {
  readonly api: ApiProcess;
  readonly worker: WorkerProcess;
  readonly browser: Browser;
  readonly docs: TestDocuments;
  /** A browser context of its own (its own cookies: its own person), closed with the stage. */
  newContext(viewport?: { width: number; height: number }): Promise<BrowserContext>;
}

/**
 * Starts the stage before the file's tests and takes it down after them, every context first.
 * Its parts are read through getters because they exist only once beforeAll has run.
 */
export function useStage(): Stage {
  let api: ApiProcess | undefined;
  let worker: WorkerProcess | undefined;
  let browser: Browser | undefined;
  let docs: TestDocuments | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    docs = await testDocuments();
    api = await startApi({ WEB_DIST_DIR: webDist });
    worker = startWorker(api.url);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => {})));
    await browser?.close();
    await worker?.kill("SIGTERM");
    await api?.stop();
  });

  const started = <T>(part: T | undefined, name: string): T => {
    if (part === undefined) throw new Error(`the stage's ${name} is not started yet`);
    return part;
  };
  return {
    get api() {
      return started(api, "API");
    },
    get worker() {
      return started(worker, "worker");
    },
    get browser() {
      return started(browser, "browser");
    },
    get docs() {
      return started(docs, "documents");
    },
    async newContext(viewport = { width: 1280, height: 900 }) {
      const context = await started(browser, "browser").newContext({ viewport });
      contexts.push(context);
      return context;
    },
  };
}
