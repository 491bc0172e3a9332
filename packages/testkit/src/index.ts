export {
  type ApiProcess,
  startApi,
  startWorker,
  until,
  type WorkerProcess,
  workerSecret,
} from "./processes";
export { settingsTurboDrops, turboPassThroughEnv } from "./turbo-env";
