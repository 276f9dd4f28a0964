import { scrubFields, scrubText } from './log-scrub';
import type { LogFields, LoggerPort } from './ports';

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Logs may reach disk unencrypted: every entry is scrubbed (log-scrub.ts) before it reaches the port. */
export function createLogger(port: LoggerPort): Logger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: LogFields) =>
    port.log(level, scrubText(message), scrubFields(fields));
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
