export { hostileXml, type UblInvoiceOptions, ublInvoice } from "./e-invoices";
export {
  embeddedFile,
  nameSpellings,
  pngChunk,
  pngWith,
  type RawPdfOptions,
  rawPdf,
  withJpegComment,
  zipWith,
} from "./hostile-files";
export {
  startImapServer,
  type TestImapFolder,
  type TestImapMessage,
  type TestImapServer,
  type TestImapServerOptions,
} from "./imap-server";
export {
  type ApiProcess,
  type FreshDatabase,
  freePort,
  freshDatabase,
  startApi,
  startWorker,
  until,
  type WorkerProcess,
  type WorkerStartOptions,
  workerSecret,
} from "./processes";
export { type RoundRobinProxy, startProxy } from "./proxy";
export { mimeMessage, type SmtpSendResult, smtpSend } from "./smtp";
export { settingsTurboDrops, turboPassThroughEnv } from "./turbo-env";
