import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import type { PSM } from "tesseract.js";
import { createTesseractWorker, localLangPath } from "../src/ocr/tesseract-worker";
import type { BenchArgs } from "./bench-args";
import { nativeTesseractVersion, runNative, unpackTraineddata } from "./native-tesseract";
import { median } from "./stats";

export interface OcrComparison {
  images: number;
  jsMs: number;
  jsBlocksMs: number;
  native: { version: string; ms: number; startupMs: number } | null;
  /** Characters of text each engine read, summed: a check that both did the same work. */
  characters: { js: number; native: number | null };
}

export function listImages(dir: string, count: number): string[] {
  return readdirSync(dir)
    .filter((name) => /\.(jpe?g|png)$/i.test(name))
    .sort()
    .slice(0, count)
    .map((name) => join(dir, name));
}

/**
 * The same files through tesseract.js (one worker: one thread) and native tesseract
 * (OMP_THREAD_LIMIT=1), same traineddata, same PSM, no preprocessing on either side. The
 * engines alternate image by image so that load from other processes hits both alike.
 */
export async function compareOcr(args: BenchArgs, dir: string): Promise<OcrComparison> {
  const images = listImages(dir, args.count);
  const version = nativeTesseractVersion();
  const tessdata = unpackTraineddata(args.data);
  const worker = await createTesseractWorker({ langPath: localLangPath(args.data) });
  try {
    await worker.setParameters({ tessedit_pageseg_mode: String(args.psm) as PSM });
    const startupMs = version ? await nativeStartup(tessdata.dir, args.psm) : 0;
    const readJs = async (path: string, blocks: boolean) => {
      const started = performance.now();
      const { data } = await worker.recognize(readFileSync(path), {}, { text: true, blocks });
      return { ms: performance.now() - started, text: data.text };
    };
    // Warm-up, not counted: the first recognize also initialises the engine.
    await readJs(images[0] ?? "", false);

    const js: number[] = [];
    const jsBlocks: number[] = [];
    const native: number[] = [];
    const characters = { js: 0, native: version ? 0 : null };
    for (const [index, image] of images.entries()) {
      const plain = await readJs(image, false);
      js.push(plain.ms);
      characters.js += plain.text.replace(/\s/g, "").length;
      jsBlocks.push((await readJs(image, true)).ms);
      if (version) {
        const run = await runNative(image, tessdata.dir, args.psm);
        native.push(run.ms);
        characters.native = (characters.native ?? 0) + run.text.replace(/\s/g, "").length;
      }
      const last = native.at(-1);
      console.log(
        `  ${index + 1}/${images.length} ${image.split("/").pop()}: tesseract.js ${plain.ms.toFixed(0)} ms` +
          (last === undefined ? "" : `, native ${last.toFixed(0)} ms`),
      );
    }
    return {
      images: images.length,
      jsMs: median(js),
      jsBlocksMs: median(jsBlocks),
      native: version ? { version, ms: median(native), startupMs } : null,
      characters,
    };
  } finally {
    await worker.terminate();
    tessdata.dispose();
  }
}

/** What a native run costs before any page is read: process start and model load. */
async function nativeStartup(tessdataDir: string, psm: number): Promise<number> {
  const blank = join(tessdataDir, "blank.png");
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#ffffff" } })
    .png()
    .toBuffer();
  writeFileSync(blank, png);
  const runs: number[] = [];
  for (let run = 0; run < 5; run += 1) runs.push((await runNative(blank, tessdataDir, psm)).ms);
  return median(runs);
}
