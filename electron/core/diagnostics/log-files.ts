import { join } from 'node:path';

/**
 * Where the log lives: main writes core's entries (and its own) to `<dataDir>/logs/frontdesk.log`, keeping one
 * previous file beside it; the diagnostics file reads them back from here.
 */
export const logFileName = 'frontdesk.log';

export function logDirectory(dataDir: string): string {
  return join(dataDir, 'logs');
}

/** Oldest first: the rotated file, then the current one. */
export function logFilePaths(dataDir: string): string[] {
  const dir = logDirectory(dataDir);
  return [join(dir, `${logFileName}.1`), join(dir, logFileName)];
}
