/**
 * The relay's configuration file (JSON), validated with zod. Secrets do not belong in it: the app secret of
 * each workspace is given to `add-workspace` and kept in the store; a PostgreSQL URL with a password may come
 * from the environment (`RELAY_DATABASE_URL`) instead of the file.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

const storageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite'), path: z.string().min(1) }),
  z.object({ kind: z.literal('postgres'), url: z.string().min(1).optional() }),
]);

export const relayConfigSchema = z.object({
  listen: z.object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65535).default(8080) }).prefault({}),
  /** The address Meta and desks use (behind the TLS-terminating proxy), e.g. https://relay.example.com */
  publicUrl: z.url({ protocol: /^https?$/ }),
  storage: storageSchema,
  /** Events no desk acknowledged are kept this long (Meta itself gives up after 7 days). */
  retentionDays: z.number().positive().max(90).default(7),
  /** Behind a proxy, the source address of a request is the first X-Forwarded-For entry. */
  trustProxy: z.boolean().default(false),
  limits: z
    .object({
      /** Meta documents webhooks up to 3 MB. */
      metaBodyBytes: z.number().int().positive().default(4 * 1024 * 1024),
      /** Desk requests carry small JSON (a sealed copy of one sent message at most). */
      deskBodyBytes: z.number().int().positive().default(256 * 1024),
      /** Refused requests (bad signature, bad token, bad code) per source address per minute before 429. */
      failuresPerMinute: z.number().int().positive().default(30),
      /** Pairing and link requests per source address per minute. */
      pairingPerMinute: z.number().int().positive().default(10),
      /** Requests per desk per second (a desk's normal pace is a few). */
      deskRequestsPerSecond: z.number().int().positive().default(50),
    })
    .prefault({}),
});

export type RelayConfig = z.infer<typeof relayConfigSchema>;
export type StorageConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export class ConfigError extends Error {
  readonly code = 'relay_config_invalid';
}

/** Reads and validates the file; a relative SQLite path is relative to the file. */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): { config: RelayConfig; storage: StorageConfig } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`The configuration ${file} could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = relayConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`The configuration ${file} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const config = parsed.data;
  let storage: StorageConfig;
  if (config.storage.kind === 'sqlite') {
    storage = { kind: 'sqlite', path: resolve(dirname(file), config.storage.path) };
  } else {
    const url = env.RELAY_DATABASE_URL ?? config.storage.url;
    if (!url) throw new ConfigError('PostgreSQL storage needs a URL: storage.url in the file or RELAY_DATABASE_URL');
    storage = { kind: 'postgres', url };
  }
  return { config, storage };
}
