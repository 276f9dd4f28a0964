import { stat } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors';
import { writeFileAtomically } from './atomic-file';
import { parseRequest, prepareTranscript } from './render-transcript';
import type { TranscriptDeps, TranscriptRenderOptions } from './render-transcript';

/** A file path the dialogs port answered: absolute, in a folder that exists. */
export const destinationFileSchema = z.string().min(1).max(4096).refine(isAbsolute, 'an absolute path');

export interface TranscriptExportResult {
  path: string;
  bytes: number;
  messages: number;
  mediaEmbedded: number;
}

/** What the audit log learns of a transcript export: counts and the range, never content. */
export interface TranscriptAuditPort {
  transcriptExported(conversationId: number, facts: { messages: number; mediaEmbedded: number; from: string | null; to: string | null }): void;
}

export async function requireFolder(path: string, field: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (!info?.isDirectory()) throw new AppError('invalid_request', 'The chosen folder does not exist', [{ path: field, message: 'no such folder' }]);
}

/**
 * Writes the transcript to `destination` (temporary name, synced, renamed: never a partial file under the
 * chosen name) and records the export in the audit log. The file is plaintext by design: the user asked for it.
 */
export async function exportTranscript(
  deps: TranscriptDeps & { audit?: TranscriptAuditPort | null },
  request: unknown,
  destination: unknown,
  options: TranscriptRenderOptions = {},
): Promise<TranscriptExportResult> {
  const path = parseRequest(destinationFileSchema, destination, 'transcript destination');
  await requireFolder(dirname(path), 'destination');
  const prepared = prepareTranscript(deps, request, options);
  const { bytes } = await writeFileAtomically(path, prepared.pieces());
  deps.audit?.transcriptExported(prepared.conversationId, { messages: prepared.written.messages, mediaEmbedded: prepared.written.mediaEmbedded, ...prepared.dates });
  return { path, bytes, messages: prepared.written.messages, mediaEmbedded: prepared.written.mediaEmbedded };
}

/** The whole file as one string: for small ranges and tests (large ones go to a file through exportTranscript). */
export async function renderTranscriptToString(deps: TranscriptDeps, request: unknown, options: TranscriptRenderOptions = {}): Promise<string> {
  const prepared = prepareTranscript(deps, request, options);
  let html = '';
  for await (const piece of prepared.pieces()) html += piece;
  return html;
}
