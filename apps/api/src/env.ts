import { fileURLToPath } from "node:url";
import { databaseUrlSetting } from "@remit/db";
import { z } from "zod";

const repoDataDir = fileURLToPath(new URL("../../../.data", import.meta.url));
const repoWebDist = fileURLToPath(new URL("../../web/dist", import.meta.url));
const devSecret = "remit-development-secret-do-not-use-in-production";
// The same default is in apps/worker/src/env.ts, so that `pnpm dev` runs both with no set-up.
const devWorkerSecret = "remit-development-worker-secret-do-not-use-in-production";

/** The server's whole configuration, parsed once at start-up and passed down as plain values. */
const settings = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  // No DATABASE_URL: the embedded PGlite under REMIT_DATA_DIR, so a fresh clone needs no server.
  DATABASE_URL: databaseUrlSetting,
  // Default: the repo's own .data/, whatever folder the server was started from (turbo runs it
  // in apps/api), so `pnpm dev` and `pnpm db:migrate` share one embedded database.
  REMIT_DATA_DIR: z.string().min(1).default(repoDataDir),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * A direct PostgreSQL URL for the two session connections (live events' LISTEN, the periodic
   * tasks' leader lock) when DATABASE_URL goes through a transaction-mode pooler.
   */
  DATABASE_SESSION_URL: databaseUrlSetting,
  /**
   * Prepare statements on PostgreSQL (one round trip per statement instead of two). Turn off
   * only behind a transaction-mode pooler that cannot keep prepared statements.
   */
  DATABASE_PREPARE: z.enum(["true", "false"]).default("true"),
  /** Signs sessions and encrypts the JWT keys. Required in production. */
  BETTER_AUTH_SECRET: z
    .string()
    .min(32, "BETTER_AUTH_SECRET must be at least 32 characters")
    .optional(),
  /** The public origin (JWT issuer/audience); defaults to http://HOST:PORT. */
  PUBLIC_URL: z.url().optional(),
  /** Browser origins allowed to call the API with credentials (the Vite dev server). */
  TRUSTED_ORIGINS: z
    .string()
    .default("http://localhost:5173,http://127.0.0.1:5173")
    .transform((value) =>
      value
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  JWT_EXPIRY_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** The OCR worker's credential (it may only claim jobs). Required in production. */
  REMIT_WORKER_SECRET: z
    .string()
    .min(32, "REMIT_WORKER_SECRET must be at least 32 characters")
    .optional(),
  /** Platform operators' credential: opens operator.recentViolations, nothing else. Optional. */
  REMIT_OPERATOR_SECRET: z
    .string()
    .min(32, "REMIT_OPERATOR_SECRET must be at least 32 characters")
    .optional(),
  /** A bearer for /metrics; unset, /metrics answers requests from loopback only. */
  METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional(),
  /** Alerts on isolation violations: a signed POST when a minute's count reaches the threshold. */
  VIOLATION_WEBHOOK_URL: z.url().optional(),
  VIOLATION_WEBHOOK_SECRET: z
    .string()
    .min(16, "VIOLATION_WEBHOOK_SECRET must be at least 16 characters")
    .optional(),
  VIOLATION_WEBHOOK_THRESHOLD: z.coerce.number().int().min(1).max(100_000).default(20),
  /** How long a claimed OCR job is held without a heartbeat before another worker may take it. */
  OCR_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
  /** Retry n of a failed OCR job waits half to all of base * 2^(n-1) seconds, capped. */
  OCR_RETRY_BASE_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
  OCR_RETRY_MAX_SECONDS: z.coerce.number().min(1).max(86_400).default(1800),
  /** A tRPC call unanswered after this long gets 503 with a sentence instead of hanging. */
  REQUEST_DEADLINE_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** Sign-in and sign-up attempts allowed per client address, and per account, per window. */
  AUTH_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(30),
  AUTH_RATE_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).max(1_000_000).default(10),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /**
   * How often each API process checks the leader lock of the periodic tasks (orphan sweep,
   * rate-limit pruning): the longest the tasks pause when the process running them dies.
   */
  PERIODIC_CHECK_SECONDS: z.coerce.number().min(0.1).max(3600).default(10),
  /** The built SPA served on the same port (`pnpm build`); "off" serves the API alone. */
  WEB_DIST_DIR: z.string().min(1).default(repoWebDist),
  /** Where uploaded files live: the local filesystem (under REMIT_DATA_DIR/objects) or S3. */
  STORAGE_DRIVER: z.enum(["local", "s3"]).default("local"),
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: z.enum(["true", "false"]).optional(),
  /**
   * E-mail in (docs/email-in.md): the SMTP listener runs in this process when MAIL_SMTP_PORT is
   * set, for addresses `<slug>+<token>@REMIT_MAIL_DOMAIN`. Loopback unless MAIL_SMTP_HOST says
   * otherwise (a relay or MX in front usually forwards to it).
   */
  MAIL_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  MAIL_SMTP_HOST: z.string().min(1).default("127.0.0.1"),
  REMIT_MAIL_DOMAIN: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$|^[a-z0-9-]+$/, "REMIT_MAIL_DOMAIN must be a domain name")
    .optional(),
  /** The largest message taken, encoded attachments included (default 25 MB). */
  MAIL_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(200 * 1024 * 1024)
    .default(25 * 1024 * 1024),
  /**
   * Notifications (docs/lifecycle.md): mail to whoever can act next on an invoice. Off unless
   * set: an SMTP URL (smtp://user:pass@host:587, smtps://…), or "sink" to write each message as
   * an .eml file under REMIT_DATA_DIR/mail-sink (development).
   */
  REMIT_NOTIFY_SMTP_URL: z
    .string()
    .trim()
    .refine((v) => v === "sink" || /^smtps?:\/\/[^\s]+$/.test(v), {
      message: 'REMIT_NOTIFY_SMTP_URL must be an smtp:// or smtps:// URL, or "sink"',
    })
    .optional(),
  /** The sender of notification mail. */
  REMIT_NOTIFY_FROM: z.string().trim().min(3).default("Remit <remit@localhost>"),
  /** PEM files for STARTTLS; without both, STARTTLS is not offered. */
  MAIL_TLS_CERT: z.string().min(1).optional(),
  MAIL_TLS_KEY: z.string().min(1).optional(),
  /**
   * IMAP polling (docs/email-in.md#imap-polling). Stored IMAP passwords are sealed under a key
   * derived from REMIT_CREDENTIALS_SECRET, or from BETTER_AUTH_SECRET when it is unset; changing
   * the secret the key comes from makes every stored password unreadable.
   */
  REMIT_CREDENTIALS_SECRET: z
    .string()
    .min(32, "REMIT_CREDENTIALS_SECRET must be at least 32 characters")
    .optional(),
  /** Let tenants' IMAP hosts be loopback or private-network addresses (an internal mail server). */
  REMIT_IMAP_ALLOW_PRIVATE: z.enum(["true", "false"]).default("false"),
  /** Let a tenant choose IMAP without TLS (the password then crosses the network in clear). */
  REMIT_IMAP_ALLOW_PLAINTEXT: z.enum(["true", "false"]).default("false"),
  /** How often each enabled IMAP mailbox is polled. */
  IMAP_POLL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(60),
  /**
   * Tenant webhooks (docs/webhooks.md). Off by default: targets on loopback, private, link-local
   * and reserved addresses (an internal receiver), and plain http.
   */
  REMIT_WEBHOOKS_ALLOW_PRIVATE: z.enum(["true", "false"]).default("false"),
  REMIT_WEBHOOKS_ALLOW_HTTP: z.enum(["true", "false"]).default("false"),
  /** Attempts per delivery before it is dead; retry n waits half to all of base * 2^(n-1) s. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
  WEBHOOK_RETRY_MAX_SECONDS: z.coerce.number().min(1).max(86_400).default(21_600),
  /** The longest one delivery's POST may take, connecting included. */
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().min(1).max(60).default(10),
});

/** Every environment variable the app reads: turbo.json must pass each one through (test). */
export const envKeys = Object.keys(settings.shape);

const envSchema = settings
  .superRefine((env, ctx) => {
    // One sentence per missing setting, naming it and why it is needed.
    const require = (key: keyof typeof env, needed: boolean, when: string) => {
      if (needed && !env[key]) {
        ctx.addIssue({ code: "custom", path: [key], message: `${key} is required ${when}` });
      }
    };
    const production = env.NODE_ENV === "production";
    for (const key of ["S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
      require(key, env.STORAGE_DRIVER === "s3", "when STORAGE_DRIVER=s3");
    }
    require("BETTER_AUTH_SECRET", production, "in production");
    require("REMIT_WORKER_SECRET", production, "in production");
    // A development default set by hand is as public as no secret at all.
    const refuseDefault = (key: keyof typeof env, devDefault: string) => {
      if (production && env[key] === devDefault) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `${key} is the development default; production needs a secret of its own`,
        });
      }
    };
    refuseDefault("BETTER_AUTH_SECRET", devSecret);
    refuseDefault("REMIT_WORKER_SECRET", devWorkerSecret);
    require("REMIT_MAIL_DOMAIN", env.MAIL_SMTP_PORT !== undefined, "when MAIL_SMTP_PORT is set");
    require("MAIL_TLS_KEY", Boolean(env.MAIL_TLS_CERT), "when MAIL_TLS_CERT is set");
    require("MAIL_TLS_CERT", Boolean(env.MAIL_TLS_KEY), "when MAIL_TLS_KEY is set");
    require("VIOLATION_WEBHOOK_SECRET", Boolean(
      env.VIOLATION_WEBHOOK_URL,
    ), "when VIOLATION_WEBHOOK_URL is set");
  })
  .transform((env) => ({
    ...env,
    BETTER_AUTH_SECRET: env.BETTER_AUTH_SECRET ?? devSecret,
    REMIT_WORKER_SECRET: env.REMIT_WORKER_SECRET ?? devWorkerSecret,
    PUBLIC_URL: env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`,
  }));

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${problems.join("\n")}`);
  }
  return result.data;
}
