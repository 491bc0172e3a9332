import { requestLogFields } from "@remit/api";
import pino, { type DestinationStream, type Logger } from "pino";

/**
 * JSON logs where every line written during a request carries its request id, and its tenant
 * and user once they are known (see @remit/api's request-log.ts). The mixin reads them from the
 * request's AsyncLocalStorage, so handlers keep logging through this one logger.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, mixin: () => requestLogFields() }, destination);
}
