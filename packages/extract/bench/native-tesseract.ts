import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { localLangPath } from "../src/ocr/tesseract-worker";
import { inheritedEnvironment } from "./env";

/** Debian's tesseract 5 (`apt-get install tesseract-ocr`), or null when it is not installed. */
export function nativeTesseractVersion(): string | null {
  const run = spawnSync("tesseract", ["--version"], { encoding: "utf8" });
  if (run.error || run.status !== 0) return null;
  return (run.stdout || run.stderr).split("\n")[0]?.trim() ?? null;
}

/**
 * The very traineddata tesseract.js loads, unpacked for the native binary, so the two
 * engines differ in nothing but how they were compiled. Removed again by `dispose`.
 */
export function unpackTraineddata(variant: "4.0.0_best_int" | "4.0.0") {
  const dir = mkdtempSync(join(tmpdir(), "remit-tessdata-"));
  const packed = readFileSync(join(localLangPath(variant), "eng.traineddata.gz"));
  writeFileSync(join(dir, "eng.traineddata"), gunzipSync(packed));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * One native run on one image, timed from spawn to exit. OMP_THREAD_LIMIT=1 keeps it to
 * one thread, as a tesseract.js worker is; OEM 1 is tesseract.js's LSTM-only engine.
 */
export function runNative(
  image: string,
  tessdataDir: string,
  psm: number,
): Promise<{ ms: number; text: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      "tesseract",
      [
        image,
        "stdout",
        "--tessdata-dir",
        tessdataDir,
        "-l",
        "eng",
        "--oem",
        "1",
        "--psm",
        String(psm),
      ],
      { env: { ...inheritedEnvironment(), OMP_THREAD_LIMIT: "1" }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        if (error) reject(error);
        else resolve({ ms: performance.now() - started, text: stdout });
      },
    );
  });
}
