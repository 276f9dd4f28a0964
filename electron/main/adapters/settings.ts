/**
 * The settings port over electron-store 12. Main opens it as `new Store({ name: 'settings' })` in userData,
 * the same `settings.json` core's plain-Node port reads through `conf` (electron/core/node-ports/settings.ts).
 */
import type ElectronStore from 'electron-store';
import type { SettingsPort } from '../../core/ports';

/** The part of electron-store (a `conf` instance) the port needs. */
export type StoreLike = Pick<ElectronStore<Record<string, unknown>>, 'get' | 'set' | 'delete' | 'store'>;

/** The options main opens the store with: the file name is shared with core's `conf` version. */
export const settingsStoreOptions = { name: 'settings' } as const;

export function createStoreSettings(store: StoreLike): SettingsPort {
  return {
    get: async (key) => store.get(key),
    async set(key, value) {
      // conf refuses `undefined` values; storing "nothing" means removing the key.
      if (value === undefined) store.delete(key);
      else store.set(key, value);
    },
    delete: async (key) => store.delete(key),
    all: async () => ({ ...store.store }),
  };
}
