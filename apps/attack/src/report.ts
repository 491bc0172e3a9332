import type { Outcome } from "./attack";

export interface Row {
  path: string;
  attack: string;
  outcome: Outcome;
}

/** The columns every procedure of its kind gets; anything else goes under "special". */
const generic = [
  "idor",
  "guess",
  "message",
  "forged-tenant",
  "tampered-token",
  "removed-session",
  "victim-unchanged",
];

/** The summary: procedure × attack → outcome, then the failures spelled out. */
export function printSummary(rows: Row[]): void {
  const paths = [...new Set(rows.map((r) => r.path))].sort();
  const state = (found: Row[]) => (found.every((r) => r.outcome.ok) ? "ok" : "FAIL");
  const cell = (path: string, attack: string) => {
    const found = rows.filter((r) => r.path === path && r.attack === attack);
    return found.length === 0 ? "·" : state(found);
  };
  const special = (path: string) =>
    rows
      .filter((r) => r.path === path && !generic.includes(r.attack))
      .map((r) => `${r.attack}:${r.outcome.ok ? "ok" : "FAIL"}`)
      .join(" ");
  const width = Math.max(...paths.map((p) => p.length), 9);
  const heads = ["idor", "guess", "message", "forged", "tampered", "removed", "unchanged"];
  const line = (cols: string[]) =>
    cols
      .map((c, i) => (i === 0 ? c.padEnd(width) : i <= heads.length ? c.padEnd(9) : c))
      .join(" │ ");
  console.log(`\n${line(["procedure", ...heads, "special"])}`);
  console.log(line(["".padEnd(width, "─"), ...heads.map(() => "─────────"), "───────"]));
  for (const path of paths) {
    console.log(line([path, ...generic.map((a) => cell(path, a)), special(path) || "·"]));
  }
  console.log(
    "\n· = not applicable to this kind of procedure (no id to aim, or not reachable by a person)",
  );
}

export function printDetails(rows: Row[]): void {
  console.log("\nprocedure × attack → outcome");
  for (const row of rows) {
    console.log(
      `  ${row.outcome.ok ? "ok  " : "FAIL"} ${row.path.padEnd(26)} ${row.attack.padEnd(18)} ${row.outcome.note}`,
    );
  }
}
