import sharp from "sharp";
import { ExtractError } from "../errors";

/**
 * How a scan is turned into what tesseract reads. The defaults were chosen on the receipt
 * eval (eval/eval-extract.ts); each step is there because it moved a field's score.
 */
export interface PrepareOptions {
  /** Larger images are scaled down: 35-megapixel phone photos cost seconds and read no better. */
  maxPixels: number;
  /** Narrower images are scaled up: tesseract misreads text whose x-height is under ~20 px. */
  minWidth: number;
  /** Cap on the upscale factor, so that a thumbnail is not blown up into blur. */
  maxUpscale: number;
}

export const defaultPrepareOptions: PrepareOptions = {
  maxPixels: 4_000_000,
  minWidth: 1000,
  maxUpscale: 2.5,
};

export interface PreparedImage {
  /** The page preview: oriented, scaled, grayscale. Every box is in its pixel space. */
  preview: Uint8Array;
  /** What tesseract reads: the preview's own PNG bytes, so its boxes need no conversion. */
  ocrInput: Buffer;
  width: number;
  height: number;
}

/** Decoded pixel budget: generous for 600 dpi A3 scans, a stop for decompression bombs. */
const maxInputPixels = 120_000_000;

export async function prepareImage(
  image: Uint8Array,
  options: Partial<PrepareOptions> = {},
): Promise<PreparedImage> {
  const settings = { ...defaultPrepareOptions, ...options };
  if (image.byteLength === 0) {
    throw new ExtractError("empty_image", "The image is empty (0 bytes).");
  }
  const input = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  const orientedSize = await readOrientedSize(input);
  const { width, height } = targetSize(orientedSize, settings);

  const base = sharp(input, { limitInputPixels: maxInputPixels })
    .autoOrient()
    .resize(width, height, { fit: "fill", kernel: "lanczos3" })
    .grayscale();
  const preview = await base.png({ compressionLevel: 6 }).toBuffer();
  return { preview: new Uint8Array(preview), ocrInput: preview, width, height };
}

async function readOrientedSize(input: Buffer): Promise<{ width: number; height: number }> {
  try {
    const metadata = await sharp(input, { limitInputPixels: maxInputPixels }).metadata();
    const { width, height } = metadata.autoOrient;
    if (!width || !height) throw new Error("no dimensions");
    // Decode once in full: a truncated JPEG passes metadata() but fails here, not in tesseract.
    await sharp(input, { limitInputPixels: maxInputPixels }).resize(64).raw().toBuffer();
    return { width, height };
  } catch (cause) {
    throw new ExtractError("unreadable_image", "The image could not be decoded.", { cause });
  }
}

export function targetSize(
  size: { width: number; height: number },
  settings: Pick<PrepareOptions, "maxPixels" | "minWidth" | "maxUpscale">,
): { width: number; height: number } {
  let scale = 1;
  if (size.width < settings.minWidth) {
    scale = Math.min(settings.minWidth / size.width, settings.maxUpscale);
  }
  const pixels = size.width * size.height * scale * scale;
  if (pixels > settings.maxPixels) scale *= Math.sqrt(settings.maxPixels / pixels);
  return {
    width: Math.max(1, Math.round(size.width * scale)),
    height: Math.max(1, Math.round(size.height * scale)),
  };
}

/**
 * The preview with its contrast stretched to the full range: faded thermal receipts, where
 * tesseract finds no text at all in the plain image. Same size, so boxes stay valid.
 */
export async function stretchContrast(prepared: PreparedImage): Promise<Buffer> {
  return sharp(prepared.ocrInput).normalise().png({ compressionLevel: 1 }).toBuffer();
}
