import type { ExtractedField } from "../types";
import type { Span } from "./rows";

/**
 * A field's confidence is how sure the rule was (a labelled "GRAND TOTAL" beats the largest
 * amount on the page) times how sure the reader was of the words it came from.
 */
export function fieldFrom(value: string, span: Span, evidence: number): ExtractedField {
  return {
    value,
    confidence: round(clamp01(evidence) * clamp01(span.confidence)),
    page: span.page,
    box: span.box,
  };
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
