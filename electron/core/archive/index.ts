/** The encrypted archive: what the vault, the workspace service and IPC handlers use. */
export { databaseKeyBytes, openArchive, openKeyedDatabase } from './connection';
export type { Archive, OpenArchiveOptions, OpenDatabaseOptions } from './connection';
export { latestSchemaVersion } from './migrations';
export { createMediaStore, mediaKeyBytes } from './media-store';
export type { MediaStore, MediaStoreOptions, StoredMedia } from './media-store';
export { contactDisplayName } from './display-name';
export { segmenterVersion } from './search';
export type { ContactPatch, ContactsRepository, IdentityKind, IdentityReason } from './repositories/contacts';
export type { ConversationsRepository } from './repositories/conversations';
export type { LabelsRepository } from './repositories/labels';
export type { MediaRepository } from './repositories/media';
export type { MessagesRepository } from './repositories/messages';
export type { SearchIndexRepository } from './repositories/search-index';
export type { SettingsRepository } from './repositories/settings';
export type { StaffRecord, StaffRepository } from './repositories/staff';
export type { AuditEntry, AuditLogRepository, AuditVerification } from './repositories/audit-log';
export type { TombstoneKind, TombstonesRepository } from './repositories/tombstones';
export type * from './types';
