import { createAuth, type PasswordHasher } from "@remit/auth";
import { type Database, type Notifications, ocrQueueDepth } from "@remit/db";
import type { ObjectStore } from "@remit/storage";
import type { JSONWebKeySet } from "jose";
import { JwksCache } from "./auth/jwks-cache";
import { VerifiedSessions } from "./auth/verified-sessions";
import { type AuthLimitSettings, defaultAuthLimits } from "./auth-limits";
import type { ApiDeps } from "./context";
import { LocalInvoiceEvents, NotifiedInvoiceEvents } from "./events";
import type { FileLinkSettings } from "./files/file-links";
import { overallHealth } from "./health/report";
import { JobSignal } from "./jobs/job-signal";
import { jobTokenKey } from "./jobs/job-token";
import { defaultQueueSettings, type QueueSettings } from "./jobs/queue-settings";
import { defaultImapSettings, type ImapSettings } from "./mail/imap/imap-settings";
import { ApiMetrics } from "./metrics/api-metrics";
import { cachedFor } from "./metrics/cached";
import { ViolationAlerter, type WebhookSettings } from "./monitor/alerter";
import { IsolationMonitor } from "./monitor/monitor";
import type { WebhookTargetPolicy } from "./net/webhook-target";
import { createMailer, type NotifySettings } from "./notify/mailer";
import { createNotifier } from "./notify/notify";
import { endSessionsInTenant } from "./queries/memberships";
import { TenantContextRecorder } from "./recorder";
import { deriveSealingKey } from "./secrets/sealed-secret";
import { webhookSecretKey } from "./webhooks/webhook-secret";

export interface ApiConfig {
  db: Database;
  store: ObjectStore;
  secret: string;
  baseURL: string;
  trustedOrigins?: string[];
  jwtExpirySeconds?: number;
  /** Tests pass a cheap hash here (see @remit/auth/testing); production keeps scrypt. */
  passwordHasher?: PasswordHasher;
  recorderFlushMs?: number;
  /** Download links: their HMAC secret and the absolute URL of this server's /api/files. */
  fileLinks: FileLinkSettings;
  /** The OCR worker's credential; without one, no worker can claim jobs. */
  workerSecret?: string;
  queue?: Partial<QueueSettings>;
  /** The platform operator's credential; without one, the operator router opens for nobody. */
  operatorSecret?: string;
  /** The isolation monitor: how often it writes, and the optional alert webhook. */
  violations?: { flushEveryMs?: number; webhook?: WebhookSettings };
  /** /metrics: also export the process's own metrics (CPU, memory, event loop); off in tests. */
  metrics?: { processMetrics?: boolean };
  /** Sign-in and sign-up attempts allowed per address and per account (auth-limits.ts). */
  authLimits?: Partial<AuthLimitSettings>;
  /**
   * The database's LISTEN/NOTIFY (DbHandle.notifications), so that every API process hears the
   * live events of every other; without it, live events stay in this process.
   */
  notifications?: Notifications;
  /** Told when live events could not be sent (they are dropped: events are hints to re-read). */
  onEventError?: (error: unknown, dropped: number) => void;
  /** The domain of inbound mail addresses; without it, no address can be issued. */
  mailDomain?: string;
  /**
   * The secret stored credentials (IMAP passwords) are sealed under, through HKDF; without it,
   * `secret`. Changing it makes every stored password unreadable (admins enter them again).
   */
  credentialsSecret?: string;
  /** IMAP polling: the address policy (private hosts, plaintext) and the bounds of a poll. */
  imap?: Partial<Omit<ImapSettings, "sealingKey">>;
  /**
   * Where tenant webhooks may POST: private targets and plain http only when the operator says
   * so (REMIT_WEBHOOKS_ALLOW_PRIVATE, REMIT_WEBHOOKS_ALLOW_HTTP); tests may inject a resolver.
   */
  webhooks?: Partial<WebhookTargetPolicy>;
  /**
   * E-mail to whoever can act next on an invoice (docs/lifecycle.md); off without it. appUrl is
   * the web app's origin for links (default: baseURL).
   */
  notify?: { settings: NotifySettings; appUrl?: string; onError?: (error: unknown) => void };
}

/** Cross-tenant figures for /readyz and /metrics (health, queue depth) are read at most this often. */
const scrapeCacheMs = 5000;
/** The window /readyz and /metrics judge tenant-context health over. */
export const readinessWindowMinutes = 5;

/**
 * Everything the procedures need, wired once. Removing a member also clears that user's
 * sessions that still point at the tenant, so the next request repairs instead of finding a
 * stale tenant (the per-request membership check denies it in any case).
 */
export function createApiDeps(config: ApiConfig): ApiDeps {
  const auth = createAuth({
    db: config.db,
    secret: config.secret,
    baseURL: config.baseURL,
    trustedOrigins: config.trustedOrigins,
    jwtExpirySeconds: config.jwtExpirySeconds,
    passwordHasher: config.passwordHasher,
    onMemberRemoved: ({ userId, tenantId }) => endSessionsInTenant(config.db, userId, tenantId),
  });
  const tenantContextHealth = cachedFor(scrapeCacheMs, () =>
    overallHealth(config.db, readinessWindowMinutes),
  );
  const metrics = new ApiMetrics(
    {
      queueDepth: cachedFor(scrapeCacheMs, () => ocrQueueDepth(config.db)),
      tenantContextHealth,
    },
    config.metrics,
  );
  const recorder = new TenantContextRecorder(config.db, {
    flushEveryMs: config.recorderFlushMs ?? 1000,
    onRecord: (outcome) => metrics.tenantContext(outcome),
  });
  return {
    db: config.db,
    auth,
    recorder,
    store: config.store,
    baseURL: config.baseURL,
    service: {
      workerSecret: config.workerSecret,
      operatorSecret: config.operatorSecret,
      jobTokenKey: jobTokenKey(config.secret),
      issuer: config.baseURL,
    },
    queue: { ...defaultQueueSettings, ...config.queue },
    events: config.notifications
      ? new NotifiedInvoiceEvents(config.notifications, config.onEventError)
      : new LocalInvoiceEvents(),
    fileLinks: config.fileLinks,
    monitor: new IsolationMonitor(config.db, {
      flushEveryMs: config.violations?.flushEveryMs ?? 1000,
      alerter: config.violations?.webhook
        ? new ViolationAlerter(config.violations.webhook)
        : undefined,
      onViolation: (kind) => metrics.violation(kind),
    }),
    metrics,
    tenantContextHealth,
    authLimits: { ...defaultAuthLimits, ...config.authLimits },
    mailDomain: config.mailDomain ?? null,
    imap: {
      ...defaultImapSettings,
      ...config.imap,
      sealingKey: deriveSealingKey(config.credentialsSecret ?? config.secret, "imap-password"),
    },
    verifiedSessions: new VerifiedSessions(),
    jobSignal: new JobSignal(config.notifications),
    jwks: new JwksCache(async () => (await auth.api.getJwks()) as JSONWebKeySet),
    webhooks: {
      secretKey: webhookSecretKey(config.secret),
      policy: {
        allowPrivate: config.webhooks?.allowPrivate ?? false,
        allowHttp: config.webhooks?.allowHttp ?? false,
        resolve: config.webhooks?.resolve,
      },
    },
    notifier: config.notify
      ? createNotifier({
          db: config.db,
          mailer: createMailer(config.notify.settings),
          appUrl: config.notify.appUrl ?? config.baseURL,
          onError: config.notify.onError,
        })
      : null,
  };
}
