import { describe, expect, it } from "vitest";
import { jobTokenKey } from "../src/jobs/job-token";
import { identifyService, type ServiceAuth } from "../src/jobs/service-caller";

const workerSecret = "worker-secret-0123456789abcdefghijklmnop";
const operatorSecret = "operator-secret-0123456789abcdefghijklm";
const auth: ServiceAuth = {
  workerSecret,
  operatorSecret,
  jobTokenKey: jobTokenKey("server-secret-for-the-service-caller-test"),
  issuer: "http://127.0.0.1:3000",
};
const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });

describe("identifyService", () => {
  it("knows the worker and the operator by their secrets, each only by its own", async () => {
    expect(await identifyService(auth, bearer(workerSecret))).toEqual({ kind: "worker" });
    expect(await identifyService(auth, bearer(operatorSecret))).toEqual({ kind: "operator" });
    // Asked again (the secrets' digests are kept): the same answers.
    expect(await identifyService(auth, bearer(workerSecret))).toEqual({ kind: "worker" });
    expect(await identifyService(auth, bearer(operatorSecret))).toEqual({ kind: "operator" });
  });

  it("is no service for anything else: a near miss, a prefix, a person's token, no bearer", async () => {
    for (const token of [
      `${workerSecret.slice(0, -1)}X`,
      workerSecret.slice(0, 10),
      `${operatorSecret}x`,
      "a-persons-session-token",
    ]) {
      expect(await identifyService(auth, bearer(token))).toBeNull();
    }
    expect(await identifyService(auth, new Headers())).toBeNull();
  });

  it("opens no operator door when no operator secret is configured", async () => {
    const withoutOperator: ServiceAuth = { ...auth, operatorSecret: undefined };
    expect(await identifyService(withoutOperator, bearer(operatorSecret))).toBeNull();
    expect(await identifyService(withoutOperator, bearer(workerSecret))).toEqual({
      kind: "worker",
    });
    // A secret changed between two configurations is compared with the new one only.
    const rotated: ServiceAuth = { ...auth, workerSecret: `${workerSecret}-rotated` };
    expect(await identifyService(rotated, bearer(workerSecret))).toBeNull();
    expect(await identifyService(rotated, bearer(`${workerSecret}-rotated`))).toEqual({
      kind: "worker",
    });
  });
});
