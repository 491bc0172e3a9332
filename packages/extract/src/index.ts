export { createTesseractWorker, localLangPath } from "./ocr/tesseract-worker";
export * from "./types";
