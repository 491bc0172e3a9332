/**
 * The stored extraction without its pages' words: they are kept for supplier memory to learn
 * from at verification (up to 3,000 words, ~200 KB), and no screen needs them, so the
 * invoice's read answers without them.
 */
export function withoutPageWords(extraction: unknown): unknown {
  if (!extraction || typeof extraction !== "object") return extraction;
  const { pages } = extraction as { pages?: unknown };
  if (!Array.isArray(pages)) return extraction;
  return {
    ...extraction,
    pages: pages.map((page) => {
      if (!page || typeof page !== "object") return page;
      const { lines: _words, ...rest } = page as { lines?: unknown };
      return rest;
    }),
  };
}
