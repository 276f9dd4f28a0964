/**
 * The diagnostics file (packaging issue): what the owner sends when something goes wrong — version, platform,
 * settings without secrets, health, and the last days of the log — and nothing about customers. The log is
 * already scrubbed when written; every line is scrubbed again here, so a line an older version wrote (or one
 * that slipped through) cannot carry a message's text, a name, a number, a token or a key out of the computer.
 */
import { readFile } from 'node:fs/promises';
import { arch, release } from 'node:os';
import { strToU8, zipSync } from 'fflate';
import type { HealthState, WorkspaceState } from '../../../shared/ipc';
import { scrubText, sensitiveField } from '../log-scrub';
import { logFilePaths } from './log-files';

/** How far back the log goes in the file. */
export const diagnosticsLogDays = 7;

export interface DiagnosticsInput {
  dataDir: string;
  now: number;
  about: { appVersion: string; platform: string; transport: string };
  settings: Record<string, unknown>;
  workspace: WorkspaceState;
  /** Null while no workspace is open and unlocked (health belongs to an unlocked archive). */
  health: HealthState | null;
  cloud: unknown;
}

/** A value under a secret-looking name: a yes/no says nothing (`tokenRejected: false`); anything else is withheld. */
function withheld(value: unknown): unknown {
  return typeof value === 'boolean' || value === null ? value : '[redacted]';
}

/** Any JSON value with secret-looking keys withheld and every string scrubbed. */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 8) return '[nested]';
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = sensitiveField.test(key) ? withheld(item) : scrubValue(item, depth + 1);
  return out;
}

/** Keys of a log line that are ours (log-file.ts writes them last), not a field's. */
const lineKeys = new Set(['at', 'source', 'level', 'message']);

/** One log line as it may leave the computer, or null when it is too old or not a log line. */
export function scrubLogLine(line: string, since: number): string | null {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return null;
  const record = entry as Record<string, unknown>;
  const at = typeof record.at === 'string' ? Date.parse(record.at) : Number.NaN;
  if (!Number.isFinite(at) || at < since) return null;
  const out: Record<string, unknown> = {
    at: record.at,
    source: typeof record.source === 'string' ? scrubText(record.source) : null,
    level: typeof record.level === 'string' ? scrubText(record.level) : null,
    message: typeof record.message === 'string' ? scrubText(record.message) : null,
  };
  for (const [key, value] of Object.entries(record)) {
    if (lineKeys.has(key)) continue;
    if (sensitiveField.test(key)) out[key] = withheld(value);
    // Fields are flat scalars; anything else was not written by our logger.
    else if (typeof value === 'string') out[key] = scrubText(value);
    else if (typeof value === 'number' || typeof value === 'boolean' || value === null) out[key] = value;
    else out[key] = '[removed]';
  }
  return JSON.stringify(out);
}

async function readLogLines(dataDir: string, since: number): Promise<{ lines: string[]; skipped: number }> {
  const lines: string[] = [];
  let skipped = 0;
  for (const path of logFilePaths(dataDir)) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      continue; // No rotated file yet, or no log at all (the preview host logs to its console).
    }
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      const line = scrubLogLine(raw, since);
      if (line === null) skipped += 1;
      else lines.push(line);
    }
  }
  return { lines, skipped };
}

const readme = `Frontdesk diagnostics

This file helps find out what went wrong. It contains no customer data: no message texts, names, phone
numbers, media, access tokens or keys. It holds the Frontdesk version and platform, its settings with
anything secret removed, the health of the connection to WhatsApp, and the last ${diagnosticsLogDays} days of the log
(in which numbers, quoted text, e-mail addresses and long identifiers are replaced by markers).
`;

/** The zip's bytes. */
export async function buildDiagnosticsZip(input: DiagnosticsInput): Promise<Uint8Array> {
  const since = input.now - diagnosticsLogDays * 24 * 60 * 60 * 1000;
  const { lines, skipped } = await readLogLines(input.dataDir, since);
  const about = {
    app: 'Frontdesk',
    version: input.about.appVersion,
    platform: input.about.platform,
    arch: arch(),
    osRelease: release(),
    runtime: { node: process.versions.node, electron: process.versions.electron ?? null, chrome: process.versions.chrome ?? null },
    transport: input.about.transport,
    generatedAt: new Date(input.now).toISOString(),
    log: { days: diagnosticsLogDays, lines: lines.length, skippedLines: skipped },
  };
  const health = {
    workspace: { open: input.workspace.open ? { kind: input.workspace.open.kind } : null, locked: input.workspace.locked, autoLockMinutes: input.workspace.autoLockMinutes },
    health: input.health ? scrubValue(input.health) : 'not available while no workspace is open and unlocked',
    cloud: input.cloud ? scrubValue(input.cloud) : null,
  };
  const json = (value: unknown) => strToU8(`${JSON.stringify(value, null, 2)}\n`);
  return zipSync(
    {
      'README.txt': strToU8(readme),
      'about.json': json(about),
      'settings.json': json(scrubValue(input.settings)),
      'health.json': json(health),
      'logs/frontdesk.log': strToU8(lines.length > 0 ? `${lines.join('\n')}\n` : ''),
    },
    { level: 6, mtime: new Date(input.now) },
  );
}
