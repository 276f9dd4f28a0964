/** Conversation transcripts as self-contained HTML (PRODUCT §11). */
export { exportTranscript, renderTranscriptToString, destinationFileSchema, requireFolder } from './export-transcript';
export type { TranscriptAuditPort, TranscriptExportResult } from './export-transcript';
export { prepareTranscript, parseRequest, transcriptRequestSchema } from './render-transcript';
export type { EmbeddableFile, PreparedTranscript, TranscriptDeps, TranscriptRenderOptions, TranscriptRequest } from './render-transcript';
export { transcriptLocales } from './strings';
export type { TranscriptLocale } from './strings';
export { businessTimezone, isKnownTimezone } from './business-timezone';
export { writeFileAtomically } from './atomic-file';
export { escapeHtml, exportContentSecurityPolicy } from './html';
