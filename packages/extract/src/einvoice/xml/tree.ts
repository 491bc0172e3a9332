/**
 * The parsed XML, reduced to what the e-invoice readers need: elements with their namespace,
 * local name, attributes by local name and direct text. Comments and processing instructions
 * are dropped; nothing of a DTD ever gets here (the parser refuses one).
 */
export interface XmlElement {
  /** Namespace URI; "" when the element has none. */
  ns: string;
  local: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Text and CDATA directly inside the element, entity references resolved. */
  text: string;
}

/** The first child with this local name, or null. */
export function child(element: XmlElement | null, local: string): XmlElement | null {
  if (!element) return null;
  for (const candidate of element.children) if (candidate.local === local) return candidate;
  return null;
}

/** The first element reached by following the first child of each name in turn. */
export function at(element: XmlElement | null, ...path: string[]): XmlElement | null {
  let current = element;
  for (const local of path) current = child(current, local);
  return current;
}

/** Every element reached along the path, every branch followed. */
export function all(element: XmlElement | null, ...path: string[]): XmlElement[] {
  let current = element ? [element] : [];
  for (const local of path) {
    current = current.flatMap((parent) => parent.children.filter((c) => c.local === local));
  }
  return current;
}

/** A one-line value: whitespace runs collapsed to one space, trimmed; null when empty. */
export function text(element: XmlElement | null): string | null {
  if (!element) return null;
  const collapsed = element.text.split(/\s+/).filter(Boolean).join(" ");
  return collapsed === "" ? null : collapsed;
}

/** A one-line value at a path below `element`. */
export function textAt(element: XmlElement | null, ...path: string[]): string | null {
  return text(at(element, ...path));
}

/** Multi-line text as written: each line trimmed, blank lines at either end dropped. */
export function paragraph(element: XmlElement | null): string | null {
  if (!element) return null;
  const lines = element.text.split(/\r\n|\r|\n/).map((line) => line.trim());
  while (lines.length > 0 && lines[0] === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines.length === 0 ? null : lines.join("\n");
}

export function attribute(element: XmlElement | null, local: string): string | null {
  const value = element?.attributes[local]?.trim();
  return value ? value : null;
}
