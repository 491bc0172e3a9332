/**
 * Invoices with known ground truth for tests, here and in other packages: generate one from
 * a seed, render it as a text-layer PDF and as a scanned-looking JPEG.
 */
export {
  type FixtureLayout,
  type FixtureLineItem,
  fixtureLayouts,
  generateInvoice,
  type InvoiceFixture,
  type InvoiceTruth,
} from "./invoice-data";
export { type FixtureLocale, fixtureLocales, type LocaleStyle, localeStyles } from "./locales";
export { pageFromText } from "./page-from-text";
export { createRandom, type Random } from "./random";
export { rasterisePage } from "./rasterise";
export { renderInvoicePdf } from "./render-pdf";
export { renderScannedImage, type ScanOptions } from "./render-scan";
