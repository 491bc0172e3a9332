import { hostname } from "node:os";
import { z } from "zod";

// The same default is in apps/api/src/env.ts, so that `pnpm dev` runs both with no set-up.
const devWorkerSecret = "remit-development-worker-secret-do-not-use-in-production";

/** The worker's whole configuration, parsed once at start-up. It has no database settings. */
const settings = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** The API the worker claims from; it never talks to the database or storage directly. */
  REMIT_URL: z.url().default("http://127.0.0.1:3000"),
  REMIT_WORKER_SECRET: z
    .string()
    .min(32, "REMIT_WORKER_SECRET must be at least 32 characters")
    .optional(),
  /** Names this process in leases and logs. */
  WORKER_ID: z.string().min(1).max(100).default(`${hostname()}-${process.pid}`),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** How long to wait before asking again when the queue was empty. */
  POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  OCR_PAGE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
  OCR_RECYCLE_AFTER: z.coerce.number().int().min(1).max(10_000).default(50),
  /** Documents are at most 10 MB on upload; anything larger from a link is refused. */
  MAX_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(10 * 1024 * 1024),
  /** On SIGTERM, jobs in flight get this long to finish before they are released. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/** Every environment variable the app reads: turbo.json must pass each one through (test). */
export const envKeys = Object.keys(settings.shape);

const envSchema = settings
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.REMIT_WORKER_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["REMIT_WORKER_SECRET"],
        message: "REMIT_WORKER_SECRET is required in production",
      });
    }
    if (env.NODE_ENV === "production" && env.REMIT_WORKER_SECRET === devWorkerSecret) {
      ctx.addIssue({
        code: "custom",
        path: ["REMIT_WORKER_SECRET"],
        message:
          "REMIT_WORKER_SECRET is the development default; production needs a secret of its own",
      });
    }
  })
  .transform((env) => ({
    ...env,
    REMIT_WORKER_SECRET: env.REMIT_WORKER_SECRET ?? devWorkerSecret,
  }));

export type WorkerEnv = z.infer<typeof envSchema>;

/** Environment first, then `--concurrency N` (and `--concurrency=N`) from the command line. */
export function parseWorkerConfig(source: NodeJS.ProcessEnv, argv: string[]): WorkerEnv {
  const merged: Record<string, string | undefined> = { ...source };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--concurrency") merged.WORKER_CONCURRENCY = argv[++i];
    else if (arg.startsWith("--concurrency=")) merged.WORKER_CONCURRENCY = arg.slice(14);
    else if (arg.startsWith("-")) throw new Error(`unknown option ${arg} (known: --concurrency N)`);
  }
  const result = envSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${problems.join("\n")}`);
  }
  return result.data;
}
