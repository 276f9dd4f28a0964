/** Data rights (PRODUCT §13): per-contact export and erasure, retention, the audit log. */
export { createAuditService, auditDetailSchemas, auditPageRequestSchema, auditSubjectSchema, contactSubject, conversationSubject } from './audit';
export type { AuditAction, AuditBreak, AuditChainReport, AuditDetails, AuditEntryView, AuditPage, AuditService, AuditServiceDeps } from './audit';
export { createContactExport, contactExportRequestSchema } from './contact-export';
export type { ContactExport, ContactExportDeps, ContactExportRequest, ContactExportResult } from './contact-export';
export { contactExportFormat, contactExportSchema, contactExportVersion } from './contact-export-format';
export type { ContactExport as ContactExportDocument, ExportedMessage, ExportedFile } from './contact-export-format';
export { createErasure, contactRequestSchema } from './erasure';
export type { Erasure, ErasureDeps, ErasurePreview, ErasureResult } from './erasure';
export { createRetention, readRetentionMonths, saveRetentionSettings, retentionCutoff, retentionSettingsSchema, maxRetentionMonths } from './retention';
export type { Retention, RetentionCounts, RetentionDeps, RetentionRun, RetentionSettings } from './retention';
export { createInboxScrub, redactInbox, tombstoneMatcher } from './inbox-scrub';
export { redactWebhookBody } from './inbox-redaction';
export type { ErasedMatcher } from './inbox-redaction';
export type { InboxScrub } from './inbox-scrub';
export { startDailySchedule, startPrivacyMaintenance } from './schedule';
export type { DailySchedule, DailyScheduleOptions } from './schedule';
export { createPrivacyServices } from './privacy-services';
export type { PrivacyServices, PrivacyServicesDeps } from './privacy-services';
