import * as mupdf from "mupdf";

/**
 * One page of a PDF as a PNG, rendered by mupdf at `dpi`: a clean "scan" whose text is known.
 * The scanned-looking fixtures, the engine tests and the OCR bench all start from this.
 */
export function rasterisePage(
  pdf: Uint8Array,
  options: { page?: number; dpi?: number; gray?: boolean } = {},
): Uint8Array {
  const dpi = options.dpi ?? 200;
  const document = mupdf.Document.openDocument(pdf, "application/pdf");
  const page = document.loadPage(options.page ?? 0);
  const pixmap = page.toPixmap(
    mupdf.Matrix.scale(dpi / 72, dpi / 72),
    options.gray ? mupdf.ColorSpace.DeviceGray : mupdf.ColorSpace.DeviceRGB,
    false,
    true,
  );
  const png = pixmap.asPNG().slice();
  pixmap.destroy();
  page.destroy();
  document.destroy();
  return png;
}
