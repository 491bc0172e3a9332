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
  type ApiProcess,
  type FreshDatabase,
  freshDatabase,
  startApi,
  startWorker,
  until,
  type WorkerProcess,
  workerSecret,
} from "./processes";
export { type RoundRobinProxy, startProxy } from "./proxy";
export { settingsTurboDrops, turboPassThroughEnv } from "./turbo-env";
