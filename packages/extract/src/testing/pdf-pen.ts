import type { PDFFont, PDFPage } from "pdf-lib";

/*
 * Writing text onto a pdf-lib page by its top edge, as a layout is thought of (pdf-lib measures
 * from the bottom): shared by the test fixtures' renderer and the evaluation set's generator.
 */

export interface Pen {
  page: PDFPage;
  regular: PDFFont;
  bold: PDFFont;
}

export type Align = "left" | "right" | "center";

/** Draws text with its top at `top` points from the top edge. */
export function write(
  pen: Pen,
  text: string,
  x: number,
  top: number,
  size: number,
  align: Align = "left",
  bold = false,
): void {
  const font = bold ? pen.bold : pen.regular;
  const width = font.widthOfTextAtSize(text, size);
  const left = align === "left" ? x : align === "right" ? x - width : x - width / 2;
  pen.page.drawText(text, { x: left, y: pen.page.getHeight() - top - size, size, font });
}
