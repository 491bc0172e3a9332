import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { type ApiDeps, type AuthLimitSettings, createApiDeps } from "@remit/api";
import { fastTestPasswordHasher } from "@remit/auth/testing";
import type { TestDatabase } from "@remit/db/testing";
import { openSuiteDatabase } from "@remit/db/testing/vitest";
import { localStore } from "@remit/storage";
import pino, { type Logger } from "pino";
import { createApp } from "../src/app";

export interface LiveServer {
  url: string;
  deps: ApiDeps;
  handle: TestDatabase;
  objectsRoot: string;
  close(): Promise<void>;
}

/**
 * The real app on a real port: test database (the embedded PGlite as `pnpm dev` runs it, or
 * TEST_DATABASE_URL), local storage in a temporary folder, a cheap password hash. The public
 * URL is only known once the port is, so a port is found first.
 */
export async function startLiveServer(
  options: {
    trustedOrigins?: string[];
    logger?: Logger;
    metricsToken?: string;
    authLimits?: Partial<AuthLimitSettings>;
  } = {},
): Promise<LiveServer> {
  const handle = await openSuiteDatabase();
  const probe = serve({ fetch: () => new Response(""), port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => probe.once("listening", resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const url = `http://127.0.0.1:${port}`;
  const objectsRoot = mkdtempSync(join(tmpdir(), "remit-live-objects-"));
  const filesSecret = "live-test-files-secret-0123456789";
  const deps = createApiDeps({
    db: handle.db,
    passwordHasher: fastTestPasswordHasher,
    store: localStore({ root: objectsRoot }),
    secret: "test-secret-that-is-long-enough-0123456789",
    baseURL: url,
    fileLinks: { secret: filesSecret, downloadUrl: `${url}/api/files` },
    // Tests sign many people in from one address; auth-limits.test.ts sets its own.
    authLimits: options.authLimits ?? { perAddress: 100_000 },
    notifications: handle.notifications,
  });
  const app = createApp({
    deps,
    databaseKind: handle.kind,
    logger: options.logger ?? pino({ level: "silent" }),
    trustedOrigins: options.trustedOrigins ?? [],
    metricsToken: options.metricsToken,
  });
  const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    url,
    deps,
    handle,
    objectsRoot,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await deps.recorder.flush();
      await handle.close();
      rmSync(objectsRoot, { recursive: true, force: true });
    },
  };
}
