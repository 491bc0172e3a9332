import sax from "sax";
import { ExtractError } from "../../errors";
import { decodeXml } from "./decode";
import type { XmlElement } from "./tree";

export interface XmlLimits {
  /** Bytes of XML read at most; larger documents are refused before parsing. */
  maxBytes: number;
  /** Nesting depth at most (an EN 16931 document needs about 12; signatures a few more). */
  maxDepth: number;
  /** Elements at most (a 1,000-line UBL invoice has about 40,000). */
  maxElements: number;
}

export const defaultXmlLimits: XmlLimits = {
  maxBytes: 5 * 1024 * 1024,
  maxDepth: 64,
  maxElements: 200_000,
};

/**
 * Parses XML into a small tree, refusing what could make a parser do harm or waste:
 *  - a DOCTYPE of any kind: no DTD, so no entity declarations (billion laughs), no external
 *    entities (XXE) and no external DTD fetch. EN 16931 documents never carry one.
 *  - references to entities other than XML's five predefined ones and character references
 *    (sax's strict mode knows no others and fails on them);
 *  - more bytes, deeper nesting or more elements than `limits` allow;
 *  - anything not well-formed (sax strict mode with namespaces; a second root element or
 *    no root at all are refused here, where sax lets them through).
 * sax is a streaming parser, so a refusal happens as soon as the offending part is reached.
 */
export function parseXml(bytes: Uint8Array, limits: XmlLimits = defaultXmlLimits): XmlElement {
  if (bytes.byteLength > limits.maxBytes) {
    throw new ExtractError(
      "xml_too_large",
      `The XML is ${formatMegabytes(bytes.byteLength)}; e-invoices of at most ${formatMegabytes(limits.maxBytes)} are read.`,
    );
  }
  const source = decodeXml(bytes);
  const parser = sax.parser(true, { xmlns: true, trim: false, normalize: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let elements = 0;

  parser.onerror = (error) => {
    throw new ExtractError("unreadable_xml", `The XML is not well-formed (${firstLine(error)}).`);
  };
  parser.ondoctype = () => {
    throw new ExtractError(
      "unsafe_xml",
      "The XML declares a DOCTYPE, which e-invoices never need and which can carry entity or external-file tricks; it was not read.",
    );
  };
  parser.onopentag = (tag) => {
    const node = tag as sax.QualifiedTag;
    elements += 1;
    if (elements > limits.maxElements) {
      throw new ExtractError(
        "xml_too_large",
        `The XML has more than ${limits.maxElements.toLocaleString("en")} elements; it was not read.`,
      );
    }
    if (stack.length >= limits.maxDepth) {
      throw new ExtractError(
        "xml_too_large",
        `The XML nests elements more than ${limits.maxDepth} deep; it was not read.`,
      );
    }
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(node.attributes)) {
      // Namespace declarations are how names resolve, not data.
      if (attribute.prefix === "xmlns" || attribute.name === "xmlns") continue;
      attributes[attribute.local] = attribute.value;
    }
    const element: XmlElement = {
      ns: node.uri,
      local: node.local,
      attributes,
      children: [],
      text: "",
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else if (root) {
      throw new ExtractError(
        "unreadable_xml",
        "The XML is not well-formed (a second root element).",
      );
    } else root = element;
    stack.push(element);
  };
  parser.onclosetag = () => {
    stack.pop();
  };
  const appendText = (value: string) => {
    const current = stack[stack.length - 1];
    if (current) current.text += value;
  };
  parser.ontext = appendText;
  parser.oncdata = appendText;

  try {
    parser.write(source).close();
  } catch (error) {
    if (error instanceof ExtractError) throw error;
    throw new ExtractError("unreadable_xml", `The XML is not well-formed (${firstLine(error)}).`, {
      cause: error,
    });
  }
  if (!root) throw new ExtractError("unreadable_xml", "The XML has no root element.");
  return root;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split("\n")[0] ?? message).trim().replace(/\.$/, "");
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
