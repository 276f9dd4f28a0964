import type { RelayStore } from './types';

export type StoreConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; poolSize?: number };

/** Opens the configured store and brings its schema up to date; the store is closed again if that fails. */
export async function openStore(config: StoreConfig): Promise<RelayStore> {
  // Imported on demand: a PostgreSQL relay does not load SQLite's native module, nor the other way round.
  const store =
    config.kind === 'sqlite'
      ? (await import('./sqlite-store')).openSqliteStore(config.path)
      : await (await import('./postgres-store')).openPostgresStore(config.url, { poolSize: config.poolSize });
  try {
    await store.migrate();
  } catch (error) {
    try {
      await store.close();
    } catch (closeError) {
      throw new AggregateError([error, closeError], 'relay store: migrate failed, then close failed', { cause: closeError });
    }
    throw error;
  }
  return store;
}
