import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-inbox';
import { migration0003 } from './0003-mute-expiry';
import { migration0004 } from './0004-quick-reply-last-used';
import { migration0005 } from './0005-stats';
import { migration0006 } from './0006-stats-aggregates';
import type { Migration } from './runner';

export type { Migration, MigrationResult } from './runner';
export { readSchemaVersion, runMigrations } from './runner';

/** Every schema version, in order. Append; never edit or remove a shipped one. */
export const migrations: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006];

export const latestSchemaVersion = migrations.length;
