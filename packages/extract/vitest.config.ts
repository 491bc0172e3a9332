import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // OCR is CPU-bound: next to the other projects' files (the root run uses every core) and
    // other work on a shared 2-core machine, a test that reads a page three times took over a
    // minute. The bound only catches a hang; it is not a speed check (that is bench:ocr's job).
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // Files share their worker's modules (tesseract.js, mupdf, sharp are imported once per
    // worker, not once per file): every file makes its own OCR workers and closes them, and the
    // one module-level variable (pdf/mupdf-log.ts's sink) is restored after each use.
    isolate: false,
  },
});
