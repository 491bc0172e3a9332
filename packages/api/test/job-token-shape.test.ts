import { describe, expect, it } from "vitest";
import { issueJobToken, jobTokenKey, looksLikeJobToken } from "../src/jobs/job-token";

/*
 * looksLikeJobToken runs on every request with a bearer. It answers from the token's shape
 * first (jose only reads 3- or 5-part tokens), so a session token costs no thrown error; what it
 * answers must not change.
 */

const claims = {
  jobId: "00000000-0000-4000-8000-000000000001",
  tenantId: "00000000-0000-4000-8000-000000000002",
  invoiceId: "00000000-0000-4000-8000-000000000003",
  documentId: "00000000-0000-4000-8000-000000000004",
  attempt: 1,
  workerId: "w1",
};

const header = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("looksLikeJobToken", () => {
  it("recognises a job token", async () => {
    const { token } = await issueJobToken(jobTokenKey("secret"), "http://x", claims, 60);
    expect(looksLikeJobToken(token)).toBe(true);
  });

  it("recognises a forged one by its header alone (its signature is checked later)", () => {
    expect(looksLikeJobToken(`${header({ alg: "HS256", typ: "remit-job+jwt" })}.e30.sig`)).toBe(
      true,
    );
  });

  it.each([
    ["a session token", "Yq0Jr8mVb1cXxZp3aT2sUe9LkQwN5hGd"],
    ["a signed session token", "Yq0Jr8mVb1cXxZp3aT2sUe9LkQwN5hGd.c2lnbmF0dXJl+/="],
    ["a user's JWT", `${header({ alg: "EdDSA", typ: "JWT" })}.e30.sig`],
    ["four parts", `${header({ typ: "remit-job+jwt" })}.a.b.c`],
    ["an empty header", ".e30.sig"],
    ["an empty string", ""],
  ])("does not take %s for one", (_name, bearer) => {
    expect(looksLikeJobToken(bearer)).toBe(false);
  });
});
