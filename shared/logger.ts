import pino from 'pino';
import type { Config } from './config';

export type Logger = pino.Logger;

/** One pino logger per process; services derive children with their name and a request id. */
export function createLogger(config: Pick<Config, 'logLevel'>, service: string): Logger {
  return pino({
    level: config.logLevel,
    base: { service },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.apiKey'], remove: true },
  });
}
