import { settingsTurboDrops } from "@remit/testkit";
import { describe, expect, it } from "vitest";
import { envKeys, parseWorkerConfig } from "../src/env";

describe("the worker's settings", () => {
  it("turbo.json passes through every variable env.ts reads", () => {
    expect(envKeys).toContain("OCR_PAGE_TIMEOUT_MS");
    expect(settingsTurboDrops(envKeys)).toEqual([]);
  });

  it("production refuses a missing or development worker secret", () => {
    expect(() => parseWorkerConfig({ NODE_ENV: "production" }, [])).toThrow(
      /REMIT_WORKER_SECRET is required in production/,
    );
    expect(() =>
      parseWorkerConfig(
        {
          NODE_ENV: "production",
          REMIT_WORKER_SECRET: "remit-development-worker-secret-do-not-use-in-production",
        },
        [],
      ),
    ).toThrow(/REMIT_WORKER_SECRET is the development default/);
  });
});
