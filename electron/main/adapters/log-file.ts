/**
 * Core's log and main's own as JSON lines in userData/logs. The file sits on disk unencrypted: core's entries
 * arrive scrubbed (core's logger), main's own (the updater's, core crashing) are scrubbed here. Main adds the
 * time and keeps the file from growing without bound.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { logFileName } from '../../core/diagnostics/log-files';
import { scrubFields, scrubText } from '../../core/log-scrub';
import type { LogFields } from '../../core/ports';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  level: LogLevel;
  message: string;
  fields?: LogFields;
}

export interface LogFile {
  readonly path: string;
  write(source: 'core' | 'main', entry: LogEntry): void;
}

const levels = new Set<unknown>(['debug', 'info', 'warn', 'error']);

/** A `notifications.log` payload as core sends it, or null. */
export function parseLogEntry(value: unknown): LogEntry | null {
  if (typeof value !== 'object' || value === null) return null;
  const { level, message, fields } = value as Record<string, unknown>;
  if (!levels.has(level) || typeof message !== 'string') return null;
  if (fields !== undefined && (typeof fields !== 'object' || fields === null || Array.isArray(fields))) return null;
  return { level: level as LogLevel, message, fields: fields as LogFields | undefined };
}

export function createLogFile(dir: string, options: { maxBytes?: number; now?: () => Date } = {}): LogFile {
  const path = join(dir, logFileName);
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const now = options.now ?? (() => new Date());
  mkdirSync(dir, { recursive: true });
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    size = 0;
  }
  return {
    path,
    write(source, entry) {
      // Our keys last: a field can never pass itself off as the level or the message.
      const fields = source === 'main' ? scrubFields(entry.fields) : entry.fields;
      const message = source === 'main' ? scrubText(entry.message) : entry.message;
      const line = `${JSON.stringify({ ...fields, at: now().toISOString(), source, level: entry.level, message })}\n`;
      try {
        if (size > 0 && size + Buffer.byteLength(line) > maxBytes) {
          // One previous file is kept: enough to read what led up to a problem.
          renameSync(path, `${path}.1`);
          size = 0;
        }
        appendFileSync(path, line, { mode: 0o600 });
        size += Buffer.byteLength(line);
      } catch {
        // Logging must never take the app down; a full disk shows up elsewhere.
      }
    },
  };
}
