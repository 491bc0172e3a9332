import { createRequire } from "node:module";
import { createWorker, type Worker } from "tesseract.js";

const require = createRequire(import.meta.url);

/**
 * The traineddata shipped in @tesseract.js-data/eng: nothing is downloaded at run time and,
 * with cacheMethod "none", nothing is written to the working directory.
 */
export function localLangPath(variant: "4.0.0" | "4.0.0_best_int" = "4.0.0_best_int"): string {
  const dataPackage = require.resolve("@tesseract.js-data/eng/package.json");
  return new URL(variant, new URL(".", `file://${dataPackage}`)).pathname;
}

export interface TesseractWorkerOptions {
  langPath?: string;
}

/**
 * tesseract prints its diagnostics ("Image too small to scale!!", "Invalid resolution")
 * from the worker thread straight to this process's stdout, in the middle of the worker
 * app's JSON logs. They describe nothing a caller can act on, so they go to the WASM
 * file system's /dev/null instead.
 */
export async function createTesseractWorker(options: TesseractWorkerOptions = {}): Promise<Worker> {
  const worker = await createWorker("eng", 1, {
    langPath: options.langPath ?? localLangPath(),
    gzip: true,
    cacheMethod: "none",
  });
  await worker.setParameters({ debug_file: "/dev/null" });
  return worker;
}
