import sharp from "sharp";

/** Black-and-white noise as a PNG. Random, so every call is a new upload. */
export async function noisePng(size: number): Promise<Uint8Array> {
  const raw = Buffer.alloc(size * size);
  for (let i = 0; i < raw.length; i++) raw[i] = Math.random() < 0.5 ? 0 : 255;
  return sharp(raw, { raw: { width: size, height: size, channels: 1 } })
    .png()
    .toBuffer();
}
