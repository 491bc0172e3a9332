// Types that appear in procedure outputs are not exported by name: clients get them through the
// router's type (the typed client spells them out, packages/client/src/router.ts).
export {
  type AuthLimitOutcome,
  type AuthLimitSettings,
  countAuthAttempt,
  defaultAuthLimits,
} from "./auth-limits";
export { type ApiDeps, type Caller, type Context, createContext, identify } from "./context";
export { type ApiConfig, createApiDeps, readinessWindowMinutes } from "./deps";
export { databaseUnavailableMessage, toTRPCError } from "./errors";
export {
  type InvoiceEvent,
  type InvoiceEvents,
  type LiveEvent,
  LocalInvoiceEvents,
  NotifiedInvoiceEvents,
  tenantChannel,
} from "./events";
export { exportResponse } from "./export/handle-export";
export { type FileLinkSettings, issueFileLink } from "./files/file-links";
export { healthThresholds } from "./health/thresholds";
export { limits as uploadLimits } from "./ingest/inspect";
export { type JobClaims, jobTokenKey, verifyJobToken } from "./jobs/job-token";
export { defaultQueueSettings, type QueueSettings } from "./jobs/queue-settings";
export { workerActorId } from "./jobs/worker-credential";
export { mailActorId } from "./mail/deliver-message";
export { type ImapPollHooks, imapPollTask } from "./mail/imap/imap-poller";
export {
  type MailListener,
  type MailListenerSettings,
  startMailListener,
} from "./mail/smtp-listener";
export { ApiMetrics } from "./metrics/api-metrics";
export { signWebhookBody, ViolationAlerter, type WebhookSettings } from "./monitor/alerter";
export { IsolationMonitor } from "./monitor/monitor";
export type { Violation } from "./monitor/violation";
export { maintenanceTasks } from "./periodic/maintenance";
export {
  PeriodicRunner,
  type PeriodicRunnerOptions,
  type PeriodicTask,
} from "./periodic/runner";
// bench:api runs the inbox's own first-page statement on its yardstick (apps/api/bench).
export { plainFirstPageStatement } from "./queries/invoice-inbox";
export { TenantContextRecorder } from "./recorder";
export { bindRequestLog, requestLogFields, runWithRequestLog } from "./request-log";
export { type AppRouter, appRouter, createCaller } from "./root";
export type { Meta } from "./trpc";
export { handleDownload } from "./upload/handle-download";
export { handlePagePreview, type PreviewResult } from "./upload/handle-preview";
export { handleUpload, type UploadResult } from "./upload/handle-upload";
export { type SweepReport, sweepOrphans } from "./upload/sweeper";
export { type DrainReport, WebhookDispatcher } from "./webhooks/dispatcher";
export { signWebhook } from "./webhooks/webhook-secret";
export { type WebhookTaskSettings, webhookTask } from "./webhooks/webhook-task";
