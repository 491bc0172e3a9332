import { appRouter } from "@remit/api";
import { freePort, startApi } from "@remit/testkit";
import type { Attack, Outcome } from "./attack";
import { surfaceAttacks } from "./attacks/hardening";
import { timingFigures } from "./attacks/timing";
import { attackCases } from "./cases";
import { clientFor, type ProcedureType } from "./http";
import { printDetails, printSummary, type Row } from "./report";
import { changedParts, victimFingerprint } from "./snapshot";
import { seedWorld } from "./world";

/*
 * pnpm test:isolation: an automated attacker against a running API server (a real process on a
 * fresh database: PGlite, or TEST_DATABASE_URL's server). Two tenants are seeded through the
 * public API; then every procedure of the router is attacked from the attacker's tenant. Each
 * attack must be refused (NOT_FOUND, empty, UNAUTHORIZED…), change nothing the victim can see,
 * reveal nothing of the victim, and, where it is an attempt on isolation, be recorded by the
 * isolation monitor (checked through operator.recentViolations). Exit code 1 on any failure.
 */

const operatorSecret = "attack-suite-operator-secret-0123456789";
const started = performance.now();
const procedures = appRouter._def.procedures as unknown as Record<
  string,
  { _def: { type: ProcedureType } }
>;
const paths = Object.keys(procedures).sort();

const missing = paths.filter((path) => !attackCases[path]);
const unknown = Object.keys(attackCases).filter((path) => !procedures[path]);
if (missing.length > 0 || unknown.length > 0) {
  console.error(
    `the attack table must cover the router exactly.\n  no attack case: ${missing.join(", ") || "none"}\n  not in the router: ${unknown.join(", ") || "none"}`,
  );
  process.exit(1);
}

const mail = { port: await freePort(), domain: "in.attack.test" };
const api = await startApi({
  REMIT_OPERATOR_SECRET: operatorSecret,
  MAIL_SMTP_PORT: String(mail.port),
  REMIT_MAIL_DOMAIN: mail.domain,
  // The seeded IMAP mailboxes name 127.0.0.1 (disabled, never polled); the SSRF guard itself is
  // tested in packages/api (address-policy.test.ts, mail-imap.test.ts).
  REMIT_IMAP_ALLOW_PRIVATE: "true",
});
const rows: Row[] = [];
let exitCode = 0;
try {
  const world = await seedWorld(api.url, mail);
  console.log(
    `seeded 2 tenants in ${Math.round(performance.now() - started)} ms; attacking ${paths.length} procedures`,
  );

  for (const path of paths) {
    const type = procedures[path]?._def.type ?? "query";
    const attacks = attackCases[path] ?? [];
    const run = async (attack: Attack) => {
      let outcome: Outcome;
      try {
        outcome = await attack.run({ world, path, type, objectsDir: api.objectsDir });
      } catch (error) {
        outcome = { ok: false, note: `threw: ${(error as Error).message}` };
      }
      rows.push({ path, attack: attack.name, outcome });
    };
    const before = await victimFingerprint(world, api.objectsDir).catch((error: Error) => {
      throw new Error(`the victim's reads failed before attacking ${path}: ${error.message}`);
    });
    for (const attack of attacks.filter((a) => !a.legit)) await run(attack);
    const after = await victimFingerprint(world, api.objectsDir).catch((error: Error) => {
      throw new Error(`the victim's reads failed after attacking ${path}: ${error.message}`);
    });
    rows.push({
      path,
      attack: "victim-unchanged",
      outcome:
        before === after
          ? { ok: true, note: "the victim's reads are identical" }
          : {
              ok: false,
              note: `the victim's reads changed: ${changedParts(before, after).join(", ")}`,
            },
    });
    for (const attack of attacks.filter((a) => a.legit)) await run(attack);
  }

  // The HTTP surfaces outside the router: uploads, request limits, headers, auth ([1/7]).
  for (const [surface, attacks] of Object.entries(surfaceAttacks)) {
    const before = await victimFingerprint(world, api.objectsDir);
    for (const attack of attacks) {
      let outcome: Outcome;
      try {
        outcome = await attack.run({
          world,
          path: surface,
          type: "query",
          objectsDir: api.objectsDir,
        });
      } catch (error) {
        outcome = { ok: false, note: `threw: ${(error as Error).message}` };
      }
      rows.push({ path: surface, attack: attack.name, outcome });
    }
    const after = await victimFingerprint(world, api.objectsDir);
    rows.push({
      path: surface,
      attack: "victim-unchanged",
      outcome:
        before === after
          ? { ok: true, note: "the victim's reads are identical" }
          : {
              ok: false,
              note: `the victim's reads changed: ${changedParts(before, after).join(", ")}`,
            },
    });
  }

  // The monitor writes in batches, off the request path: give it a moment, then check that every
  // attack expected to be recorded was, under its own request id.
  const operator = clientFor(api.url, { bearer: operatorSecret }, "operator-check");
  const expected = rows.flatMap((row) =>
    (row.outcome.violations ?? []).map((v) => ({ row, ...v })),
  );
  const deadline = Date.now() + 15_000;
  let missingViolations = expected;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const found = await Promise.all(
      missingViolations.map(async (v) => {
        const recorded = await operator.operator.recentViolations.query({
          requestId: v.requestId,
          limit: 500,
        });
        const kinds = new Set(recorded.map((r) => r.kind));
        return v.kinds.every((k) => kinds.has(k));
      }),
    );
    missingViolations = missingViolations.filter((_, i) => !found[i]);
    if (missingViolations.length === 0) break;
  }
  for (const v of missingViolations) {
    v.row.outcome = {
      ok: false,
      note: `${v.row.outcome.note}; NOT RECORDED: ${v.kinds.join("+")}`,
    };
  }
  const recordedCount = expected.length - missingViolations.length;
  const total = (await operator.operator.recentViolations.query({ limit: 500 })).length;

  printDetails(rows);
  printSummary(rows);
  for (const t of timingFigures) {
    console.log(
      `\ntiming ${t.path}: other tenant's id ${t.theirs.toFixed(2)} ms vs random id ${t.random.toFixed(2)} ms (medians) → ratio ${t.ratio.toFixed(3)} (bound 0.5–2.0)`,
    );
  }
  const failed = rows.filter((r) => !r.outcome.ok);
  console.log(
    `\n${rows.length} checks over ${paths.length} procedures and ${Object.keys(surfaceAttacks).length} HTTP surfaces: ${rows.length - failed.length} ok, ${failed.length} failed; ` +
      `${recordedCount}/${expected.length} expected violations recorded (${total >= 500 ? "500+" : total} in the monitor); ` +
      `${Math.round((performance.now() - started) / 1000)} s`,
  );
  if (failed.length > 0) exitCode = 1;
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await api.stop();
}
process.exit(exitCode);
