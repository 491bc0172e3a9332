import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import {
  createApiDeps,
  imapPollTask,
  type MailListener,
  maintenanceTasks,
  PeriodicRunner,
  startMailListener,
  webhookTask,
} from "@remit/api";
import { createDb, migrate } from "@remit/db";
import { localStore, s3Store } from "@remit/storage";
import { createApp } from "./app";
import type { Env } from "./env";
import { createLogger } from "./logger";

/**
 * The API process, once main.ts has parsed the settings. `dataDirReady` settles when a new
 * embedded data directory has been copied from the migrated image (main.ts starts the copy
 * before it imports this module), true if it was.
 */
export async function startServer(env: Env, dataDirReady: Promise<boolean>): Promise<void> {
  const logger = createLogger(env.LOG_LEVEL);
  const dataDir = `${env.REMIT_DATA_DIR}/pglite`;
  const fromImage = await dataDirReady;
  const handle = createDb({
    url: env.DATABASE_URL,
    dataDir,
    maxConnections: env.DATABASE_POOL_SIZE,
    sessionUrl: env.DATABASE_SESSION_URL,
    prepare: env.DATABASE_PREPARE === "true",
  });
  // Migrations are idempotent; applying them at start-up is what makes `pnpm dev` a one-step start
  // on a fresh clone. In production run `pnpm db:migrate` as the owner role instead. A data
  // directory that was just copied from the image needs no check: the image is named after every
  // migration file (packages/db/src/image.ts), so it holds exactly these migrations, applied.
  if (!fromImage) await migrate(handle);

  // Signed file links get a key of their own, derived from the auth secret.
  const filesSecret = createHmac("sha256", env.BETTER_AUTH_SECRET)
    .update("remit signed file links")
    .digest("hex");
  const store =
    env.STORAGE_DRIVER === "s3"
      ? s3Store({
          bucket: env.S3_BUCKET ?? "",
          region: env.S3_REGION,
          endpoint: env.S3_ENDPOINT,
          accessKeyId: env.S3_ACCESS_KEY_ID ?? "",
          secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? "",
          forcePathStyle: env.S3_FORCE_PATH_STYLE === "true",
        })
      : localStore({ root: `${env.REMIT_DATA_DIR}/objects` });
  const deps = createApiDeps({
    db: handle.db,
    store,
    secret: env.BETTER_AUTH_SECRET,
    baseURL: env.PUBLIC_URL,
    trustedOrigins: env.TRUSTED_ORIGINS,
    jwtExpirySeconds: env.JWT_EXPIRY_SECONDS,
    fileLinks: { secret: filesSecret, downloadUrl: `${env.PUBLIC_URL}/api/files` },
    workerSecret: env.REMIT_WORKER_SECRET,
    operatorSecret: env.REMIT_OPERATOR_SECRET,
    violations: {
      webhook:
        env.VIOLATION_WEBHOOK_URL && env.VIOLATION_WEBHOOK_SECRET
          ? {
              url: env.VIOLATION_WEBHOOK_URL,
              secret: env.VIOLATION_WEBHOOK_SECRET,
              thresholdPerMinute: env.VIOLATION_WEBHOOK_THRESHOLD,
            }
          : undefined,
    },
    metrics: { processMetrics: true },
    authLimits: {
      perAddress: env.AUTH_RATE_LIMIT_PER_ADDRESS,
      perAccount: env.AUTH_RATE_LIMIT_PER_ACCOUNT,
      windowSeconds: env.AUTH_RATE_LIMIT_WINDOW_SECONDS,
    },
    queue: {
      leaseSeconds: env.OCR_LEASE_SECONDS,
      // An idle worker's claim is held for a job at most this long: well inside the deadline.
      maxClaimWaitSeconds: Math.min(25, env.REQUEST_DEADLINE_MS / 2000),
      backoff: { baseSeconds: env.OCR_RETRY_BASE_SECONDS, maxSeconds: env.OCR_RETRY_MAX_SECONDS },
    },
    // Live events go through the database, so every API process hears every other's.
    notifications: handle.notifications,
    onEventError: (err, dropped) => logger.warn({ err, dropped }, "live events not sent"),
    mailDomain: env.REMIT_MAIL_DOMAIN,
    credentialsSecret: env.REMIT_CREDENTIALS_SECRET,
    imap: {
      allowPrivateHosts: env.REMIT_IMAP_ALLOW_PRIVATE === "true",
      allowPlaintext: env.REMIT_IMAP_ALLOW_PLAINTEXT === "true",
      pollEveryMs: env.IMAP_POLL_SECONDS * 1000,
      maxMessageBytes: env.MAIL_MAX_BYTES,
    },
    webhooks: {
      allowPrivate: env.REMIT_WEBHOOKS_ALLOW_PRIVATE === "true",
      allowHttp: env.REMIT_WEBHOOKS_ALLOW_HTTP === "true",
    },
    notify: env.REMIT_NOTIFY_SMTP_URL
      ? {
          settings:
            env.REMIT_NOTIFY_SMTP_URL === "sink"
              ? {
                  kind: "sink",
                  dir: join(env.REMIT_DATA_DIR, "mail-sink"),
                  from: env.REMIT_NOTIFY_FROM,
                }
              : { kind: "smtp", url: env.REMIT_NOTIFY_SMTP_URL, from: env.REMIT_NOTIFY_FROM },
          appUrl: env.PUBLIC_URL,
          onError: (err) => logger.warn({ err }, "notification not sent"),
        }
      : undefined,
  });

  const app = createApp({
    deps,
    databaseKind: handle.kind,
    logger,
    trustedOrigins: env.TRUSTED_ORIGINS,
    requestDeadlineMs: env.REQUEST_DEADLINE_MS,
    metricsToken: env.METRICS_TOKEN,
    // Every file the page loads (previews included) comes through this server's /api/files.
    web: env.WEB_DIST_DIR === "off" ? undefined : { root: env.WEB_DIST_DIR },
  });
  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
    const where =
      handle.kind === "pglite" ? `embedded PGlite in ${env.REMIT_DATA_DIR}` : "PostgreSQL";
    logger.info(`Remit API listening on http://${info.address}:${info.port} (${where})`);
  });

  // E-mail in runs in this process: it is one more door to the same ingestion path, needing the
  // same database pool, object store and live events as the upload route; a process of its own
  // would only add a second deployment holding the same credentials (docs/email-in.md).
  let mail: MailListener | undefined;
  if (env.MAIL_SMTP_PORT !== undefined && env.REMIT_MAIL_DOMAIN) {
    mail = await startMailListener(deps, {
      port: env.MAIL_SMTP_PORT,
      host: env.MAIL_SMTP_HOST,
      domain: env.REMIT_MAIL_DOMAIN,
      maxBytes: env.MAIL_MAX_BYTES,
      tls:
        env.MAIL_TLS_CERT && env.MAIL_TLS_KEY
          ? { cert: readFileSync(env.MAIL_TLS_CERT), key: readFileSync(env.MAIL_TLS_KEY) }
          : undefined,
      onDelivered: ({ reports }) =>
        logger.info(
          { messages: reports.map((r) => ({ id: r.messageId, outcome: r.outcome })) },
          "mail received",
        ),
      onError: (err) => logger.error({ err }, "mail delivery failed"),
    });
    logger.info(
      `Remit mail listening on smtp://${env.MAIL_SMTP_HOST}:${mail.port} for @${env.REMIT_MAIL_DOMAIN}`,
    );
  }

  // Housekeeping runs in one API process at a time: the holder of the database's leader lock
  // (packages/api/src/periodic). When that process dies, another takes over at its next check.
  const periodic = new PeriodicRunner(handle.leaderLock("remit.periodic"), {
    checkEveryMs: env.PERIODIC_CHECK_SECONDS * 1000,
    onError: (err, task) => logger.error({ err, task }, "periodic task failed"),
    onLeadership: (leading) =>
      logger.info(leading ? "running the periodic tasks" : "no longer running the periodic tasks"),
  });
  for (const task of maintenanceTasks(deps, {
    rateLimitWindowSeconds: env.AUTH_RATE_LIMIT_WINDOW_SECONDS,
    onSwept: (report) =>
      report.removed.length > 0 &&
      logger.warn({ removed: report.removed }, "swept orphaned objects"),
  })) {
    periodic.register(task);
  }
  // IMAP polling of tenants' mailboxes: in the same one process, so a mailbox is polled once.
  periodic.register(
    imapPollTask(deps, {
      onPolled: (mailbox, report) =>
        (report.imported > 0 || report.failed) &&
        logger.info(
          { mailbox: mailbox.mailboxId, tenant: mailbox.tenantId, ...report },
          "IMAP mailbox polled",
        ),
      onError: (err, mailbox) =>
        logger.error({ err, mailbox: mailbox.mailboxId }, "IMAP poll failed"),
    }),
  );
  // Tenant webhooks go out from the same one process, woken by the outbox's NOTIFY at commit.
  periodic.register(
    webhookTask(deps, {
      notifications: handle.notifications,
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      backoff: {
        baseSeconds: env.WEBHOOK_RETRY_BASE_SECONDS,
        maxSeconds: env.WEBHOOK_RETRY_MAX_SECONDS,
      },
      timeoutMs: env.WEBHOOK_TIMEOUT_SECONDS * 1000,
      onDrained: (report) =>
        report.attempted > 0 && logger.info({ webhooks: report }, "webhook deliveries attempted"),
    }),
  );
  periodic.start();

  // Graceful shutdown: stop accepting, let requests in flight finish, write the buffered
  // tenant-context events and isolation violations, then close the pool.
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, "shutting down");
      // The tasks stop first, so another process can take them over while this one drains.
      const periodicStopped = periodic.stop();
      const mailStopped = mail?.close();
      server.close(async () => {
        await mailStopped;
        await periodicStopped;
        await deps.recorder.flush();
        await deps.monitor.flush();
        await handle.close();
        process.exit(0);
      });
      setTimeout(() => process.exit(1), 10_000).unref();
    });
  }
}
