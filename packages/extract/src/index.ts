export { type EInvoiceReading, readEInvoiceXml } from "./einvoice/read";
export { renderEInvoiceHtml } from "./einvoice/render";
export { defaultXmlLimits, type XmlLimits } from "./einvoice/xml/parse";
export { ExtractError, type ExtractErrorCode } from "./errors";
export {
  createExtractor,
  type DocumentType,
  defaultMaxPages,
  documentTypes,
  type ExtractOptions,
  type Extractor,
  type ExtractorOptions,
  type ExtractResult,
} from "./extractor";
export * from "./fields";
export {
  defaultJobTimeoutMs,
  defaultRecycleAfter,
  type OcrJob,
  OcrPool,
  type OcrPoolOptions,
  type OcrPoolStats,
  type RunOptions,
} from "./ocr/pool";
export { createTesseractWorker, localLangPath } from "./ocr/tesseract-worker";
export * from "./types";
