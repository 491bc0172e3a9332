import { randomBytes } from "node:crypto";
import { deflateSync } from "node:zlib";
import { PDFDocument, PDFName, StandardFonts } from "pdf-lib";

/* Test files, generated here: nothing binary is committed. */

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A grey PNG; with `claimed` its header says another size than its data holds (a bomb's header). */
export function png(
  width: number,
  height: number,
  claimed?: { width: number; height: number },
  fill: "grey" | "noise" = "grey",
): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(claimed?.width ?? width, 0);
  header.writeUInt32BE(claimed?.height ?? height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  const rows =
    fill === "noise" ? randomBytes((width + 1) * height) : Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter byte
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A text-layer PDF invoice. */
export async function pdf(text = "Invoice INV-1 total 119.00 EUR", pages = 1): Promise<Buffer> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++)
    document.addPage([595, 842]).drawText(`${text} (${i + 1})`, { x: 50, y: 780, size: 12, font });
  return Buffer.from(await document.save({ useObjectStreams: false }));
}

/** A PDF whose catalog runs JavaScript when opened. */
export async function pdfWithJavaScript(): Promise<Buffer> {
  const document = await PDFDocument.load(await pdf());
  const action = document.context.obj({ Type: "Action", S: "JavaScript", JS: "app.alert('hi')" });
  document.catalog.set(PDFName.of("OpenAction"), action);
  return Buffer.from(await document.save({ useObjectStreams: true }));
}
