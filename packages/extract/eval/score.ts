import { type Key, keyDate, keyTotal, normaliseCompany, type SroiePrediction } from "./sroie";

export const scoredFields = ["company", "date", "total"] as const;
export type ScoredField = (typeof scoredFields)[number];

export interface FieldScore {
  correct: number;
  /** Images whose key has this field; images without it are not counted either way. */
  counted: number;
}

/** Exact match per field: total as a number, date as a calendar day, company sans punctuation. */
export function isCorrect(
  field: ScoredField,
  key: Key,
  prediction: SroiePrediction,
): boolean | null {
  const expected = key[field];
  if (!expected?.trim()) return null;
  const predicted = prediction[field];
  if (predicted === null) return false;
  switch (field) {
    case "total": {
      const value = keyTotal(expected);
      return value !== null && Math.abs(Number(predicted) - value) < 0.005;
    }
    case "date":
      return keyDate(expected) === predicted;
    case "company":
      return normaliseCompany(expected) === normaliseCompany(predicted);
  }
}

export function scoreAll(
  results: { key: Key | null; prediction: SroiePrediction }[],
): Record<ScoredField, FieldScore> {
  const scores = {
    company: { correct: 0, counted: 0 },
    date: { correct: 0, counted: 0 },
    total: { correct: 0, counted: 0 },
  };
  for (const { key, prediction } of results) {
    if (!key) continue;
    for (const field of scoredFields) {
      const correct = isCorrect(field, key, prediction);
      if (correct === null) continue;
      scores[field].counted += 1;
      if (correct) scores[field].correct += 1;
    }
  }
  return scores;
}
