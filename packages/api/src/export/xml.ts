/*
 * A tiny XML writer: elements are data, text and attribute values are escaped in one place, so
 * no value read from an invoice can ever become markup.
 */

export interface XmlNode {
  name: string;
  attributes?: Record<string, string | null | undefined>;
  /** Text content, or child elements; null/undefined children are left out. */
  children?: string | Array<XmlNode | null | undefined>;
}

/** Characters XML 1.0 does not allow at all (control characters other than tab, CR, LF). */
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(value: string): string {
  return value
    .replace(notXmlChar, "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

const namePattern = /^[A-Za-z_][\w.:-]*$/;

function write(node: XmlNode, out: string[]): void {
  // Names come from this code, never from data; checked anyway so a mistake fails loudly.
  if (!namePattern.test(node.name)) throw new Error(`not an XML name: ${node.name}`);
  out.push(`<${node.name}`);
  for (const [key, value] of Object.entries(node.attributes ?? {})) {
    if (value === null || value === undefined) continue;
    if (!namePattern.test(key)) throw new Error(`not an XML name: ${key}`);
    out.push(` ${key}="${escapeXml(value)}"`);
  }
  const children = node.children;
  if (children === undefined || (Array.isArray(children) && children.length === 0)) {
    out.push("/>");
    return;
  }
  out.push(">");
  if (typeof children === "string") out.push(escapeXml(children));
  else for (const child of children) if (child) write(child, out);
  out.push(`</${node.name}>`);
}

/** The document with its XML declaration, UTF-8. */
export function serializeXml(root: XmlNode): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  write(root, out);
  out.push("\n");
  return out.join("");
}
