import { workerSecret } from "@remit/testkit";
import { type Attack, fail, pass } from "../attack";
import { type Answer, batch, type Credentials, call, revealsInternals } from "../http";
import { attackerJwt, tamperedJobToken, withForgedTenant, withRandomIds } from "../tokens";
import { leaks, type World } from "../world";

/*
 * The attacks every procedure of a kind gets, built from its row in the table (cases.ts): the
 * victim's ids, a forged tenant, a tampered token, a removed member's session, and for machine
 * procedures, tokens and secrets turned against them.
 */

export type Input = (world: World) => unknown | Promise<unknown>;

const attacker = (world: World, headers?: Record<string, string>): Credentials => ({
  bearer: world.attacker.adminToken,
  ...(headers ? { headers } : {}),
});

/** The answer must be `code`, reveal nothing of the victim or of the server's insides. */
function check(world: World, answer: Answer, codes: string[]): string | null {
  if (!codes.includes(answer.code)) return `got ${answer.code} ${answer.message}`.trim();
  const leaked = leaks(world, answer.data) ?? leaks(world, answer.message);
  if (leaked) return `LEAK: answer contains ${leaked}`;
  if (revealsInternals(answer)) return `error reveals internals: ${answer.message}`;
  return null;
}

/** The victim's ids, one call per input: NOT_FOUND, as for an id that never existed. */
export function idor(victim: Input[], expectCode = "NOT_FOUND", probed = true): Attack {
  return {
    name: "idor",
    async run({ world, path, type }) {
      const violations = [];
      for (const input of victim) {
        const answer = await call(world.url, attacker(world), path, type, await input(world));
        const problem = check(world, answer, [expectCode]);
        if (problem) return fail(problem);
        if (probed) violations.push({ requestId: answer.requestId, kinds: ["cross_tenant_id"] });
      }
      return pass(`${expectCode} ×${victim.length}`, violations);
    },
  };
}

/** Id guessing: the victim's id among random ones, in one batched HTTP request. */
export function guess(victim: Input, expectCode = "NOT_FOUND", probed = true): Attack {
  return {
    name: "guess",
    async run({ world, path, type }) {
      const real = await victim(world);
      const inputs = [real, ...Array.from({ length: 7 }, () => withRandomIds(real))];
      const answers = await batch(world.url, attacker(world), path, type, inputs);
      for (const answer of answers) {
        const problem = check(world, answer, [expectCode]);
        if (problem) return fail(problem);
      }
      const messages = new Set(answers.map((a) => `${a.code}:${a.message}`));
      if (messages.size !== 1) return fail(`answers differ: ${[...messages].join(" | ")}`);
      const requestId = answers[0]?.requestId ?? "";
      return pass(
        `8 in 1 batch: ${expectCode}`,
        probed ? [{ requestId, kinds: ["cross_tenant_id"] }] : [],
      );
    },
  };
}

/** The error for the victim's id and for a random id: the same code and the same sentence. */
export function sameAnswer(victim: Input): Attack {
  return {
    name: "message",
    async run({ world, path, type }) {
      const real = await victim(world);
      const [theirs, random] = [
        await call(world.url, attacker(world), path, type, real),
        await call(world.url, attacker(world), path, type, withRandomIds(real)),
      ];
      if (!theirs || !random) return fail("no answer");
      const a = `${theirs.code}: ${theirs.message}`;
      const b = `${random.code}: ${random.message}`;
      return a === b ? pass(`identical (${theirs.code})`) : fail(`differs: "${a}" vs "${b}"`);
    },
  };
}

/**
 * A tenant named where Remit never reads one: an x-tenant-id header and a tenantId input key
 * naming the victim. The call acts in the attacker's own tenant (or finds nothing of the
 * victim's), and both forgeries are recorded.
 */
export function forgedTenant(own: Input | undefined, victim: Input[], okCodes: string[]): Attack {
  return {
    name: "forged-tenant",
    async run({ world, path, type }) {
      const headers = { "x-tenant-id": world.victim.id };
      const base = own ? await own(world) : undefined;
      const switching = path === "tenant.switch";
      const input =
        switching || (base !== undefined && (typeof base !== "object" || base === null))
          ? base
          : { ...(base as object | undefined), tenantId: world.victim.id };
      const answer = await call(world.url, attacker(world, headers), path, type, input);
      const problem = check(world, answer, okCodes);
      if (problem) return fail(problem);
      const kinds = switching
        ? ["forged_tenant_header"]
        : ["forged_tenant_header", "forged_tenant_input"];
      const violations = [{ requestId: answer.requestId, kinds }];
      for (const aimed of victim) {
        const raw = await aimed(world);
        const withKey = switching ? raw : { ...(raw as object), tenantId: world.victim.id };
        const at = await call(world.url, attacker(world, headers), path, type, withKey);
        const wrong = check(world, at, ["NOT_FOUND", "BAD_REQUEST"]);
        if (wrong) return fail(`with the victim's ids: ${wrong}`);
        violations.push({ requestId: at.requestId, kinds: ["forged_tenant_header"] });
      }
      return pass(`${answer.code} in own tenant`, violations);
    },
  };
}

/** The attacker's JWT with the victim's tenant_id written into it: not a caller at all. */
export function tamperedToken(input: Input | undefined, expectCode = "UNAUTHORIZED"): Attack {
  return {
    name: "tampered-token",
    async run({ world, path, type }) {
      const forged = withForgedTenant(await attackerJwt(world), world.victim.id);
      const answer = await call(
        world.url,
        { bearer: forged },
        path,
        type,
        input ? await input(world) : undefined,
      );
      const problem = check(world, answer, [expectCode]);
      if (problem) return fail(problem);
      return pass(expectCode, [{ requestId: answer.requestId, kinds: ["invalid_credential"] }]);
    },
  };
}

/** The session of a person removed from the victim's tenant, aimed at the victim. */
export function removedSession(
  input: Input | undefined,
  expectCode = "FORBIDDEN",
  kinds = ["tenant_claim_mismatch"],
): Attack {
  return {
    name: "removed-session",
    async run({ world, path, type }) {
      const answer = await call(
        world.url,
        { bearer: world.leaverToken },
        path,
        type,
        input ? await input(world) : undefined,
      );
      const problem = check(world, answer, [expectCode]);
      if (problem) return fail(problem);
      return pass(expectCode, kinds.length ? [{ requestId: answer.requestId, kinds }] : []);
    },
  };
}

/** Job procedures: the attacker's job token on the victim's job, and a tampered token. */
export function jobAttacks(rest: Record<string, unknown>): Attack[] {
  return [
    {
      name: "job-token-reuse",
      async run({ world, path, type }) {
        const answer = await call(world.url, { bearer: world.attacker.job.token }, path, type, {
          jobId: world.victim.job.id,
          ...rest,
        });
        const problem = check(world, answer, ["NOT_FOUND"]);
        if (problem) return fail(problem);
        return pass("NOT_FOUND", [{ requestId: answer.requestId, kinds: ["job_token_mismatch"] }]);
      },
    },
    {
      name: "tampered-job-token",
      async run({ world, path, type }) {
        const answer = await call(
          world.url,
          { bearer: tamperedJobToken(world.victim.job.token) },
          path,
          type,
          { jobId: world.victim.job.id, ...rest },
        );
        const problem = check(world, answer, ["UNAUTHORIZED"]);
        if (problem) return fail(problem);
        return pass("UNAUTHORIZED", [
          { requestId: answer.requestId, kinds: ["invalid_job_token"] },
        ]);
      },
    },
    personRefused({ jobId: "00000000-0000-4000-8000-000000000001", ...rest }),
  ];
}

/** A person's session on a machine-only procedure: UNAUTHORIZED (not a violation: no forgery). */
export function personRefused(input: unknown): Attack {
  return {
    name: "person-token",
    async run({ world, path, type }) {
      const answer = await call(world.url, attacker(world), path, type, input);
      const problem = check(world, answer, ["UNAUTHORIZED"]);
      return problem ? fail(problem) : pass("UNAUTHORIZED");
    },
  };
}

/** A made-up machine secret: UNAUTHORIZED, recorded as an invalid credential. */
export function forgedSecret(input: unknown): Attack {
  return {
    name: "forged-secret",
    async run({ world, path, type }) {
      const answer = await call(world.url, { bearer: `${workerSecret}-forged` }, path, type, input);
      const problem = check(world, answer, ["UNAUTHORIZED"]);
      if (problem) return fail(problem);
      return pass("UNAUTHORIZED", [{ requestId: answer.requestId, kinds: ["invalid_credential"] }]);
    },
  };
}

/** The worker's secret where only an operator may go. */
export function workerRefused(input: unknown): Attack {
  return {
    name: "worker-secret",
    async run({ world, path, type }) {
      const answer = await call(world.url, { bearer: workerSecret }, path, type, input);
      const problem = check(world, answer, ["UNAUTHORIZED"]);
      return problem ? fail(problem) : pass("UNAUTHORIZED");
    },
  };
}
