import type Sharp from "sharp";

/*
 * An image upload is stored only as a clean re-encoding: decoded to pixels and encoded again,
 * upright (EXIF orientation applied), with no metadata, comments, text chunks or trailing
 * bytes. Whatever else the file carried (a PDF, a ZIP or a web page hidden in a JPEG comment or
 * a PNG chunk, data after the image's end) does not survive, so the stored file is an image and
 * nothing else. Files that plainly carry another document are refused first, with a sentence
 * that says so.
 */

export class ImageRefusedError extends Error {}

/** Signatures of a whole second document inside an image: start and end, or a web page's tags. */
const embedded: Array<{ what: string; found: (bytes: Buffer) => boolean }> = [
  {
    what: "a PDF",
    found: (bytes) => {
      const start = bytes.indexOf("%PDF-", 0, "latin1");
      return start >= 0 && bytes.indexOf("%%EOF", start, "latin1") > start;
    },
  },
  {
    what: "a ZIP archive",
    found: (bytes) =>
      bytes.includes(Buffer.from("PK\x03\x04", "latin1")) &&
      bytes.includes(Buffer.from("PK\x05\x06", "latin1")),
  },
  {
    what: "a web page",
    // Six or more bytes each, so that compressed pixel data matches by chance about once in
    // 10^7 files of the largest size accepted.
    found: (bytes) =>
      /<(html[\s>]|script[\s>]|!doctype\s+html|iframe[\s>]|svg\s[^>]*xmlns)/i.test(
        bytes.toString("latin1"),
      ),
  },
];

export interface CleanImage {
  bytes: Buffer;
  width: number;
  height: number;
}

/** sharp is loaded on the first image, not at start-up (it is a native library of some size). */
async function loadSharp(): Promise<typeof Sharp> {
  return (await import("sharp")).default;
}

export async function cleanImage(
  bytes: Buffer,
  type: "image/jpeg" | "image/png",
  maxPixels: number,
): Promise<CleanImage> {
  for (const { what, found } of embedded) {
    if (found(bytes)) {
      throw new ImageRefusedError(
        `the image also contains ${what} (a polyglot file); it is refused`,
      );
    }
  }
  const sharp = await loadSharp();
  try {
    // failOn "truncated": a cut-off image is refused rather than stored half grey.
    const image = sharp(bytes, { limitInputPixels: maxPixels, failOn: "truncated" }).rotate();
    const encoded =
      type === "image/jpeg"
        ? image.jpeg({ quality: 92, chromaSubsampling: "4:4:4" })
        : image.png({ compressionLevel: 6 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch (error) {
    if (/pixel limit/i.test(String(error))) {
      throw new ImageRefusedError(
        `the image has more than ${maxPixels / 1_000_000} megapixels, the most accepted`,
      );
    }
    throw new ImageRefusedError("the image could not be read");
  }
}
