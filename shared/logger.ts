import pino from 'pino';
import type { Config } from './config';

export type Logger = pino.Logger;

/** One pino logger per process; services derive children with their name and a request id. */
export function createLogger(config: Pick<Config, 'logLevel'>, service: string): Logger {
  return pino({
    level: config.logLevel,
    base: { service },
    // Nothing logs headers today; should someone add it, credentials stay out.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'req.headers["x-principal"]', '*.password', '*.apiKey'],
      remove: true,
    },
  });
}
