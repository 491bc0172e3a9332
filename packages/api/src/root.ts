import { auditRouter } from "./routers/audit";
import { commentRouter } from "./routers/comment";
import { eventsRouter } from "./routers/events";
import { healthRouter } from "./routers/health";
import { imapMailboxRouter } from "./routers/imap-mailbox";
import { invoiceRouter } from "./routers/invoice";
import { jobRouter } from "./routers/job";
import { mailRouter } from "./routers/mail";
import { memberRouter } from "./routers/member";
import { operatorRouter } from "./routers/operator";
import { settingsRouter } from "./routers/settings";
import { supplierRouter } from "./routers/supplier";
import { tenantRouter } from "./routers/tenant";
import { viewRouter } from "./routers/view";
import { webhookRouter } from "./routers/webhook";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  tenant: tenantRouter,
  member: memberRouter,
  supplier: supplierRouter,
  settings: settingsRouter,
  invoice: invoiceRouter,
  comment: commentRouter,
  audit: auditRouter,
  health: healthRouter,
  job: jobRouter,
  events: eventsRouter,
  operator: operatorRouter,
  mail: mailRouter,
  view: viewRouter,
  imapMailbox: imapMailboxRouter,
  webhook: webhookRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
