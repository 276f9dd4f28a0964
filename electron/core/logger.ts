import type { LogFields, LoggerPort } from './ports';

/**
 * Logs may reach disk unencrypted, so nothing that could identify a customer or unlock anything goes in:
 * fields whose names suggest such content are replaced before they reach the port.
 */
const sensitiveField = /token|secret|pass|key|text|body|caption|phone|number|name|email|address|wa_?id|user_?id|note/i;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function redact(fields: LogFields | undefined): LogFields | undefined {
  if (!fields) return undefined;
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) out[key] = sensitiveField.test(key) ? '[redacted]' : value;
  return out;
}

export function createLogger(port: LoggerPort): Logger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: LogFields) =>
    port.log(level, message, redact(fields));
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
