export {
  type ApiProcess,
  startApi,
  startWorker,
  until,
  type WorkerProcess,
  workerSecret,
} from "./processes";
