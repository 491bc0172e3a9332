import { openTestDatabase, type TestDatabase } from "@remit/db/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../src/app";
import { parseEnv } from "../src/env";

let handle: TestDatabase;

beforeAll(async () => {
  handle = await openTestDatabase({ url: process.env.TEST_DATABASE_URL || undefined });
});

afterAll(async () => {
  await handle?.close();
});

it("answers liveness and readiness against the real database", async () => {
  const app = createApp({ db: handle.db, databaseKind: handle.kind });
  expect(await (await app.request("/healthz")).json()).toEqual({ status: "ok" });
  const ready = await app.request("/readyz");
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: "ready", database: handle.kind });
});

it("reports not ready, without details, when the database is gone", async () => {
  const gone = await openTestDatabase({ url: process.env.TEST_DATABASE_URL || undefined });
  await gone.close();
  const app = createApp({ db: gone.db, databaseKind: gone.kind });
  const ready = await app.request("/readyz");
  expect(ready.status).toBe(503);
  expect(await ready.json()).toEqual({ status: "unavailable", database: gone.kind });
});

it("refuses a malformed configuration with a message that names the setting", () => {
  expect(() => parseEnv({ PORT: "eighty", DATABASE_URL: "mysql://x" })).toThrow(
    /PORT: .*\n.*DATABASE_URL: DATABASE_URL must be a postgres:\/\/ URL/,
  );
  expect(parseEnv({ DATABASE_URL: "" })).toMatchObject({ PORT: 3000, DATABASE_URL: undefined });
});
