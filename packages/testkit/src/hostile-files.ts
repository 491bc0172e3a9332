import { deflateSync } from "node:zlib";

/*
 * Hostile documents, written byte by byte so that every trick is exactly what a test says it
 * is: a name escape in lower case, an action hidden in a compressed object stream, a PDF inside
 * a PNG chunk. Shared by the API's tests and the attack suite; nothing binary is committed.
 */

export interface RawPdfOptions {
  /** Extra entries for the catalog dictionary, as PDF source (e.g. `/OpenAction 5 0 R`). */
  catalog?: string;
  /** Extra entries for the page dictionary (e.g. `/Annots [6 0 R]`). */
  page?: string;
  /** Further objects, numbered from 5 on, as PDF source (a dictionary or `<<…>> stream…`). */
  objects?: string[];
  /** Objects placed in a Flate-compressed object stream instead, numbered after `objects`. */
  compressed?: string[];
  /** Bytes after %%EOF. */
  trailing?: string;
  /** No /Root in the trailer and no object typed /Catalog: nothing to find the pages from. */
  noRoot?: boolean;
}

/**
 * A one-page PDF with a text layer, assembled by hand with a correct cross-reference table.
 * Objects 1–4 are the catalog, the page tree, the page and its content stream.
 */
export function rawPdf(options: RawPdfOptions = {}): Buffer {
  const content = "BT /F1 12 Tf 50 780 Td (Invoice RAW-1 total 119.00 EUR) Tj ET";
  const objects: Array<string | Buffer> = [
    `<< ${options.noRoot ? "" : "/Type /Catalog"} /Pages 2 0 R ${options.catalog ?? ""} >>`,
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> ${options.page ?? ""} >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    ...(options.objects ?? []),
  ];
  const compressed = options.compressed ?? [];
  if (compressed.length > 0) {
    const first = objects.length + 1;
    let header = "";
    let body = "";
    compressed.forEach((source, i) => {
      header += `${first + 1 + i} ${body.length} `;
      body += `${source}\n`;
    });
    const data = deflateSync(Buffer.from(header + body, "latin1"));
    objects.push(
      Buffer.concat([
        Buffer.from(
          `<< /Type /ObjStm /N ${compressed.length} /First ${header.length} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`,
          "latin1",
        ),
        data,
        Buffer.from("\nendstream", "latin1"),
      ]),
    );
  }
  const parts: Buffer[] = [Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  const offsets: number[] = [];
  let length = parts[0]?.length ?? 0;
  objects.forEach((object, i) => {
    offsets.push(length);
    const bytes = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`, "latin1"),
      typeof object === "string" ? Buffer.from(object, "latin1") : object,
      Buffer.from("\nendobj\n", "latin1"),
    ]);
    parts.push(bytes);
    length += bytes.length;
  });
  const size = objects.length + 1 + compressed.length;
  const xref = [
    "xref",
    `0 ${objects.length + 1}`,
    "0000000000 65535 f ",
    ...offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n `),
  ].join("\n");
  const root = options.noRoot ? "" : "/Root 1 0 R";
  parts.push(
    Buffer.from(
      `${xref}\ntrailer\n<< /Size ${size} ${root} >>\nstartxref\n${length}\n%%EOF\n${options.trailing ?? ""}`,
      "latin1",
    ),
  );
  return Buffer.concat(parts);
}

/** Every way of writing a PDF name with `#xx` escapes: none, upper, lower and mixed case. */
export function nameSpellings(name: string): string[] {
  const hex = (ch: string) => ch.charCodeAt(0).toString(16).padStart(2, "0");
  const first = name[0] ?? "";
  const rest = name.slice(1);
  return [
    name,
    `#${hex(first).toUpperCase()}${rest}`,
    `#${hex(first).toLowerCase()}${rest}`,
    [...name].map((ch) => `#${hex(ch).toLowerCase()}`).join(""),
    [...name].map((ch) => `#${hex(ch).toUpperCase()}`).join(""),
    [...name].map((ch, i) => (i % 2 ? `#${hex(ch)}` : ch)).join(""),
    [...name].map((ch, i) => `#${i % 2 ? hex(ch).toUpperCase() : hex(ch)}`).join(""),
  ];
}

/** An embedded file stream with its file specification, as raw objects numbered from `first`. */
export function embeddedFile(
  first: number,
  filename: string,
  bytes: string,
): { catalog: string; objects: string[] } {
  return {
    catalog: `/Names << /EmbeddedFiles << /Names [(${filename}) ${first} 0 R] >> >>`,
    objects: [
      `<< /Type /Filespec /F (${filename}) /UF (${filename}) /EF << /F ${first + 1} 0 R >> >>`,
      `<< /Type /EmbeddedFile /Length ${bytes.length} >>\nstream\n${bytes}\nendstream`,
    ],
  };
}

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

/** One PNG chunk, with its length and CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A grey PNG with `extra` chunks placed before its image data. */
export function pngWith(width: number, height: number, extra: Buffer[] = []): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8);
  header.writeUInt8(0, 9);
  const rows = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    ...extra,
    pngChunk("IDAT", deflateSync(rows)),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A JPEG with a comment segment (COM) carrying `comment`, inserted after its SOI marker. */
export function withJpegComment(jpeg: Buffer, comment: Buffer): Buffer {
  const chunks: Buffer[] = [];
  // A COM segment holds at most 65533 bytes; longer payloads span several.
  for (let offset = 0; offset < comment.length; offset += 65_000) {
    const part = comment.subarray(offset, offset + 65_000);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(part.length + 2);
    chunks.push(Buffer.from([0xff, 0xfe]), length, part);
  }
  return Buffer.concat([jpeg.subarray(0, 2), ...chunks, jpeg.subarray(2)]);
}

/** A minimal ZIP archive holding one stored file. */
export function zipWith(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const fileName = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const localPart = Buffer.concat([local, fileName, data]);
  const centralPart = Buffer.concat([central, fileName]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralPart.length, 12);
  end.writeUInt32LE(localPart.length, 16);
  return Buffer.concat([localPart, centralPart, end]);
}
