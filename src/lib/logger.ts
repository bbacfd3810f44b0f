import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** JSON lines, or readable lines when `readable` (by default: stdout is a terminal). */
export function createLogger(level: string, readable = process.stdout.isTTY === true): Logger {
  const options = { level, base: { service: 'parley' } };
  return readable ? pino(options, pretty({ sync: true, ignore: 'service,pid,hostname', translateTime: 'SYS:HH:MM:ss.l' })) : pino(options);
}
