import { TextDecoder } from "node:util";
import { ExtractError } from "../../errors";

/**
 * XML bytes → text, in the encoding the document itself names: a byte-order mark first, then
 * the `encoding` of the XML declaration, else UTF-8 (the XML default). Invalid bytes in that
 * encoding refuse the document rather than turn into replacement characters that could change
 * a name or an IBAN unseen. The declaration is read by scanning its characters, not by a
 * pattern over the document.
 */
export function decodeXml(bytes: Uint8Array): string {
  const encoding = bomEncoding(bytes) ?? declaredEncoding(bytes) ?? "utf-8";
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new ExtractError(
      "unreadable_xml",
      `The XML is in an encoding that cannot be read ("${encoding.slice(0, 40)}").`,
    );
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new ExtractError(
      "unreadable_xml",
      `The XML contains bytes that are not valid ${decoder.encoding.toUpperCase()}.`,
    );
  }
}

function bomEncoding(bytes: Uint8Array): string | null {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return "utf-8";
  if (a === 0xff && b === 0xfe) return "utf-16le";
  if (a === 0xfe && b === 0xff) return "utf-16be";
  // No mark, but "<" as a 16-bit unit.
  if (a === 0x3c && b === 0x00) return "utf-16le";
  if (a === 0x00 && b === 0x3c) return "utf-16be";
  return null;
}

/** The encoding named in `<?xml version="1.0" encoding="..."?>`, if the document starts with one. */
function declaredEncoding(bytes: Uint8Array): string | null {
  // The declaration is ASCII by definition; 512 bytes is far more than any real one needs.
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 512));
  if (!head.startsWith("<?xml")) return null;
  const end = head.indexOf("?>");
  if (end < 0) return null;
  const declaration = head.slice(0, end);
  const key = declaration.indexOf("encoding");
  if (key < 0) return null;
  let i = key + "encoding".length;
  while (isSpace(declaration[i])) i += 1;
  if (declaration[i] !== "=") return null;
  i += 1;
  while (isSpace(declaration[i])) i += 1;
  const quote = declaration[i];
  if (quote !== '"' && quote !== "'") return null;
  const close = declaration.indexOf(quote, i + 1);
  if (close < 0) return null;
  const name = declaration
    .slice(i + 1, close)
    .trim()
    .toLowerCase();
  return name === "" ? null : name;
}

function isSpace(character: string | undefined): boolean {
  return character === " " || character === "\t" || character === "\r" || character === "\n";
}
