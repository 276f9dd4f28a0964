import Conf from 'conf';
import type { SettingsPort } from '../ports';

/** The settings file through `conf`, the library electron-store wraps: the same file format as the app's. */
export function createConfSettings(dir: string): SettingsPort {
  const store = new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', projectName: 'frontdesk' });
  return {
    get: async (key) => store.get(key),
    set: async (key, value) => store.set(key, value),
    delete: async (key) => store.delete(key),
    all: async () => ({ ...store.store }),
  };
}
