import sharp from "sharp";

/**
 * Black-and-white noise: tesseract finds "text" everywhere and takes seconds per 400 px, which is
 * what a pathological scan does to an OCR engine. Random, so every call is a new upload.
 */
export async function noisePng(size: number): Promise<Uint8Array> {
  const raw = Buffer.alloc(size * size);
  for (let i = 0; i < raw.length; i++) raw[i] = Math.random() < 0.5 ? 0 : 255;
  return sharp(raw, { raw: { width: size, height: size, channels: 1 } })
    .png()
    .toBuffer();
}
