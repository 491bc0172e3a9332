import sharp from "sharp";
import { createRandom } from "./random";
import { rasterisePage } from "./rasterise";

export interface ScanOptions {
  /** Pixels per PDF point; 2.5 ≈ 180 dpi, a typical office scan. */
  scale?: number;
  /** Degrees; the sign and size come from the seed when not given (±1–2°). */
  rotation?: number;
  /** Standard deviation of the grey-level noise, 0–255. */
  noise?: number;
  /** Gaussian blur sigma in pixels. */
  blur?: number;
  /** JPEG quality: lower means stronger block artefacts. */
  quality?: number;
}

/**
 * The PDF's first page as a scanner would return it: rasterised, turned slightly, grainy,
 * soft and JPEG-compressed. Deterministic for a seed.
 */
export async function renderScannedImage(
  pdf: Uint8Array,
  seed: number,
  options: ScanOptions = {},
): Promise<Uint8Array> {
  const random = createRandom(seed ^ 0x5ca11ed);
  const scale = options.scale ?? 2.5;
  const rotation = options.rotation ?? (random.next() < 0.5 ? -1 : 1) * (1 + random.next());
  const noise = options.noise ?? 18;

  // scale is pixels per PDF point; 72 points make an inch.
  const png = rasterisePage(pdf, { dpi: scale * 72 });

  const { data, info } = await sharp(png).grayscale().raw().toBuffer({ resolveWithObject: true });
  for (let i = 0; i < data.length; i++) {
    // Sum of uniforms ≈ normal noise; cheap and seeded.
    const grain = (random.next() + random.next() + random.next() - 1.5) * 2 * noise;
    data[i] = Math.max(0, Math.min(255, (data[i] ?? 0) + grain));
  }
  const jpeg = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
    .rotate(rotation, { background: { r: 255, g: 255, b: 255 } })
    .blur(options.blur ?? 0.7)
    .jpeg({ quality: options.quality ?? 55 })
    .toBuffer();
  return new Uint8Array(jpeg);
}
