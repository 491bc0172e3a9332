export {
  type ApiProcess,
  startApi,
  startWorker,
  until,
  type WorkerProcess,
  type WorkerStartOptions,
  workerSecret,
} from "./processes";
