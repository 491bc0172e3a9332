import type { ProcedureType } from "./http";
import type { World } from "./world";

/** What one attack found. */
export interface Outcome {
  ok: boolean;
  /** A few words for the summary table: what came back. */
  note: string;
  /** Violations the monitor must have recorded for these request ids, checked at the end. */
  violations?: Array<{ requestId: string; kinds: string[] }>;
}

export interface AttackContext {
  world: World;
  path: string;
  type: ProcedureType;
  objectsDir: string;
}

export interface Attack {
  name: string;
  /**
   * The attack makes legitimate changes in the victim's tenant (the victim's own actions, or a
   * member of both tenants), so it runs after the victim's before/after comparison.
   */
  legit?: boolean;
  run(ctx: AttackContext): Promise<Outcome>;
}

export const pass = (note: string, violations?: Outcome["violations"]): Outcome => ({
  ok: true,
  note,
  ...(violations ? { violations } : {}),
});
export const fail = (note: string): Outcome => ({ ok: false, note });
