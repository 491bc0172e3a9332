import { settingsTurboDrops } from "@remit/testkit";
import { describe, expect, it } from "vitest";
import { envKeys as webDevServerKeys } from "../../web/dev-server-env";
import { envKeys, parseEnv } from "../src/env";

describe("every setting reaches the server", () => {
  it("turbo.json passes through every variable env.ts reads", () => {
    expect(envKeys).toContain("S3_BUCKET");
    expect(settingsTurboDrops(envKeys)).toEqual([]);
  });

  // `pnpm dev` also starts the web app's dev server, which has no test runner of its own.
  it("and every variable the web app's dev server reads", () => {
    expect(settingsTurboDrops(webDevServerKeys)).toEqual([]);
  });
});

describe("production refuses development defaults", () => {
  const production = {
    NODE_ENV: "production",
    BETTER_AUTH_SECRET: "a-real-secret-that-is-long-enough-0123456789",
    REMIT_WORKER_SECRET: "a-real-worker-secret-long-enough-0123456789",
  };

  it("starts with secrets of its own", () => {
    expect(parseEnv(production).NODE_ENV).toBe("production");
  });

  it.each([
    ["BETTER_AUTH_SECRET", undefined, /BETTER_AUTH_SECRET is required in production/],
    ["REMIT_WORKER_SECRET", undefined, /REMIT_WORKER_SECRET is required in production/],
    [
      "BETTER_AUTH_SECRET",
      "remit-development-secret-do-not-use-in-production",
      /BETTER_AUTH_SECRET is the development default/,
    ],
    [
      "REMIT_WORKER_SECRET",
      "remit-development-worker-secret-do-not-use-in-production",
      /REMIT_WORKER_SECRET is the development default/,
    ],
  ])("refuses %s = %s", (key, value, message) => {
    expect(() => parseEnv({ ...production, [key]: value })).toThrow(message);
  });

  it("development still starts with no settings at all", () => {
    expect(parseEnv({}).BETTER_AUTH_SECRET).toMatch(/development/);
  });
});

describe("e-mail in", () => {
  it("is off unless MAIL_SMTP_PORT is set, and then needs REMIT_MAIL_DOMAIN", () => {
    expect(parseEnv({}).MAIL_SMTP_PORT).toBeUndefined();
    expect(() => parseEnv({ MAIL_SMTP_PORT: "2525" })).toThrow(
      /REMIT_MAIL_DOMAIN is required when MAIL_SMTP_PORT is set/,
    );
    const env = parseEnv({ MAIL_SMTP_PORT: "2525", REMIT_MAIL_DOMAIN: "In.Example.com" });
    expect(env.REMIT_MAIL_DOMAIN).toBe("in.example.com");
    expect(env.MAIL_SMTP_HOST).toBe("127.0.0.1");
    expect(env.MAIL_MAX_BYTES).toBe(25 * 1024 * 1024);
  });

  it("takes STARTTLS files only in pairs", () => {
    expect(() => parseEnv({ MAIL_TLS_CERT: "/etc/cert.pem" })).toThrow(/MAIL_TLS_KEY is required/);
  });

  it("IMAP polling refuses private hosts and plaintext unless allowed, and wants a long secret", () => {
    const env = parseEnv({});
    expect(env.REMIT_IMAP_ALLOW_PRIVATE).toBe("false");
    expect(env.REMIT_IMAP_ALLOW_PLAINTEXT).toBe("false");
    expect(env.IMAP_POLL_SECONDS).toBe(60);
    expect(() => parseEnv({ REMIT_CREDENTIALS_SECRET: "short" })).toThrow(
      /REMIT_CREDENTIALS_SECRET must be at least 32 characters/,
    );
    expect(() => parseEnv({ REMIT_IMAP_ALLOW_PRIVATE: "yes" })).toThrow(/REMIT_IMAP_ALLOW_PRIVATE/);
  });
});
