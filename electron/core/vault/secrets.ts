import type { SecretsStatus } from '../../../shared/ipc';
import type { Archive } from '../archive';
import type { ChannelHandlers } from '../dispatcher';

/**
 * Cloud API secrets live in the archive's settings table: the archive is encrypted page by page, so they are
 * never on disk in plaintext. Core reads them for its own calls; the renderer only learns whether each is set.
 */
/** The relay token is this desk's credential with the relay (issue 10); the renderer never learns it. */
export type SecretName = 'accessToken' | 'appSecret' | 'relayToken';
const keyOf = (name: SecretName) => `secret.${name}`;

export function readSecret(archive: Archive, name: SecretName): string | null {
  const value = archive.settings.get(keyOf(name));
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function secretsStatus(archive: Archive): SecretsStatus {
  return { accessToken: readSecret(archive, 'accessToken') !== null, appSecret: readSecret(archive, 'appSecret') !== null };
}

export function writeSecrets(archive: Archive, secrets: Partial<Record<SecretName, string>>): SecretsStatus {
  archive.transaction(() => {
    for (const [name, value] of Object.entries(secrets) as Array<[SecretName, string | undefined]>) {
      if (value === undefined) continue;
      if (value.trim() === '') archive.settings.delete(keyOf(name));
      else archive.settings.set(keyOf(name), value.trim());
    }
  });
  return secretsStatus(archive);
}

export function createSecretsHandlers(archive: () => Archive): Pick<ChannelHandlers, 'secrets:status' | 'secrets:set'> {
  return {
    'secrets:status': () => secretsStatus(archive()),
    'secrets:set': (request) => writeSecrets(archive(), request),
  };
}
