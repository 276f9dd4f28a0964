import type { LoggerPort, LogFields } from '../ports';

type Level = 'debug' | 'info' | 'warn' | 'error';
const rank: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** One JSON line per entry on a stream (stderr by default). Core has already redacted the fields. */
export function createStreamLogger(options: { minLevel?: Level; write?: (line: string) => void } = {}): LoggerPort {
  const minLevel = options.minLevel ?? 'info';
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  return {
    log(level, message, fields?: LogFields) {
      if (rank[level] < rank[minLevel]) return;
      write(`${JSON.stringify({ at: new Date().toISOString(), level, message, ...fields })}\n`);
    },
  };
}

export interface MemoryLogger extends LoggerPort {
  entries: Array<{ level: Level; message: string; fields?: LogFields }>;
}

export function createMemoryLogger(): MemoryLogger {
  const entries: MemoryLogger['entries'] = [];
  return { entries, log: (level, message, fields) => void entries.push({ level, message, fields }) };
}
