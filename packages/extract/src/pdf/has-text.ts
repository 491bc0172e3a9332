import type { TextLayer } from "./text-layer";

/**
 * Fewer visible characters than this and the page is treated as a scan. A scan can still
 * carry a little text (a scanner's stamp, a "Page 1" footer added by a tool) that would
 * otherwise hide the page from OCR; no real invoice page says less than this.
 */
export const minVisibleCharacters = 20;

export function hasTextLayer(layer: TextLayer): boolean {
  return layer.visibleCharacters >= minVisibleCharacters;
}
