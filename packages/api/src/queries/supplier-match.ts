import { suppliers, type TenantDb } from "@remit/db";
import { isNull, sql } from "drizzle-orm";

/*
 * Who sent this invoice? Tax id first (an exact, normalised match is near-certain), then a
 * fuzzy name match, the tenant's own suppliers before the global directory; otherwise a
 * proposal for a new supplier that a person confirms. Runs under RLS: the candidates are
 * exactly the tenant's suppliers and the global ones.
 */

export type SupplierMatch =
  | { kind: "tax_id" | "name"; supplierId: string; isGlobal: boolean; name: string; score: number }
  | { kind: "proposed"; name: string; taxId: string | null }
  | { kind: "none" };

/** Name similarity needed for a match: Dice over character bigrams of the normalised name. */
export const nameMatchThreshold = 0.85;

const legalForms =
  /\b(sdn|bhd|berhad|gmbh|ag|kg|ltd|limited|llc|inc|incorporated|corp|corporation|co|company|plc|sarl|sas|srl|bv|nv|oy|ab|pty|pte|enterprise|enterprises|trading)\b/g;

export function normaliseTaxId(value: string): string {
  return value.toUpperCase().replace(/[^0-9A-Z]/g, "");
}

export function normaliseName(value: string): string {
  return value
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9 ]+/g, " ")
    .replace(legalForms, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function bigrams(value: string): Map<string, number> {
  const grams = new Map<string, number>();
  const padded = ` ${value} `;
  for (let i = 0; i < padded.length - 1; i++) {
    const gram = padded.slice(i, i + 2);
    grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }
  return grams;
}

/** Sørensen–Dice similarity of two normalised names, 0–1. */
export function nameSimilarity(a: string, b: string): number {
  if (a === b) return a.length > 0 ? 1 : 0;
  const x = bigrams(a);
  const y = bigrams(b);
  let shared = 0;
  let total = 0;
  for (const [gram, n] of x) {
    shared += Math.min(n, y.get(gram) ?? 0);
    total += n;
  }
  for (const n of y.values()) total += n;
  return total === 0 ? 0 : (2 * shared) / total;
}

interface Candidate {
  id: string;
  name: string;
  taxId: string | null;
  isGlobal: boolean;
}

export async function matchSupplier(
  db: TenantDb,
  extracted: { name: string | null; taxId: string | null },
): Promise<SupplierMatch> {
  if (!extracted.name && !extracted.taxId) return { kind: "none" };
  const candidates: Candidate[] = await db
    .select({
      id: suppliers.id,
      name: suppliers.name,
      taxId: suppliers.taxId,
      isGlobal: sql<boolean>`${isNull(suppliers.tenantId)}`,
    })
    .from(suppliers);
  // The tenant's own copy wins over the global row it was adopted from.
  const ordered = [...candidates].sort((p, q) => Number(p.isGlobal) - Number(q.isGlobal));

  const taxId = extracted.taxId ? normaliseTaxId(extracted.taxId) : "";
  if (taxId.length >= 4) {
    const hit = ordered.find((c) => c.taxId && normaliseTaxId(c.taxId) === taxId);
    if (hit)
      return {
        kind: "tax_id",
        supplierId: hit.id,
        isGlobal: hit.isGlobal,
        name: hit.name,
        score: 1,
      };
  }
  const name = extracted.name ? normaliseName(extracted.name) : "";
  if (name.length >= 3) {
    let best: { candidate: Candidate; score: number } | null = null;
    for (const candidate of ordered) {
      const score = nameSimilarity(name, normaliseName(candidate.name));
      if (!best || score > best.score) best = { candidate, score };
    }
    if (best && best.score >= nameMatchThreshold) {
      const { candidate, score } = best;
      return {
        kind: "name",
        supplierId: candidate.id,
        isGlobal: candidate.isGlobal,
        name: candidate.name,
        score,
      };
    }
  }
  if (!extracted.name) return { kind: "none" };
  return { kind: "proposed", name: extracted.name, taxId: extracted.taxId };
}
