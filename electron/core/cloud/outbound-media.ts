/**
 * Media staff attach (PRODUCT §2 composer): the outbox stores the request with our own media id, and the
 * one sender uploads the file from the encrypted media store when it sends, then sends with Meta's id.
 * Meta keeps an uploaded file 30 days, so an id is reused for retries of the same file meanwhile.
 */
import type { Archive, MediaStore } from '../archive';
import type { GraphClient } from './graph-client';
import type { OutboundRequest } from './outbox';

/** Where a queued request names our media row instead of Meta's `id`. */
export const localMediaField = 'local_media_id';

const reuseMs = 29 * 24 * 60 * 60 * 1000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Where a queued request names its local file: the message's own object (`image`, `document`, …), or the
 * media parameter of a template's header.
 */
function localMediaSlot(request: { type: string; [field: string]: unknown }): Record<string, unknown> | null {
  const body = request[request.type];
  if (!isRecord(body)) return null;
  if (typeof body[localMediaField] === 'number') return body;
  if (request.type !== 'template' || !Array.isArray(body.components)) return null;
  for (const component of body.components) {
    if (!isRecord(component) || component.type !== 'header' || !Array.isArray(component.parameters)) continue;
    for (const parameter of component.parameters) {
      if (!isRecord(parameter) || typeof parameter.type !== 'string') continue;
      const media = parameter[parameter.type];
      if (isRecord(media) && typeof media[localMediaField] === 'number') return media;
    }
  }
  return null;
}

/** The media row a queued request will upload, if any. */
export function localMediaIdOf(request: { type: string; [field: string]: unknown }): number | null {
  return (localMediaSlot(request)?.[localMediaField] as number | undefined) ?? null;
}

export interface OutboundMediaResolver {
  /** The request as Meta takes it: a local media reference uploaded and replaced by Meta's id. */
  resolve(request: OutboundRequest): Promise<OutboundRequest>;
}

export function createOutboundMediaResolver(deps: {
  archive: Archive;
  media: MediaStore;
  client: () => Pick<GraphClient, 'uploadMedia'>;
  now: () => number;
}): OutboundMediaResolver {
  const uploaded = new Map<number, { metaId: string; at: number }>();
  return {
    async resolve(request) {
      const mediaId = localMediaIdOf(request);
      if (mediaId === null) return request;
      let metaId = uploaded.get(mediaId);
      if (!metaId || deps.now() - metaId.at > reuseMs) {
        const row = deps.archive.media.get(mediaId);
        if (!row || row.state !== 'stored' || !row.contentHash) throw new Error(`The attached file (media ${mediaId}) is not in the media store`);
        const bytes = await deps.media.read(row.contentHash);
        const { id } = await deps.client().uploadMedia({ bytes, mimeType: row.mime ?? 'application/octet-stream', fileName: row.fileName ?? 'file' });
        metaId = { metaId: id, at: deps.now() };
        uploaded.set(mediaId, metaId);
      }
      // A copy with the local reference replaced by Meta's id: the stored request keeps our own.
      const resolved = structuredClone(request);
      const slot = localMediaSlot(resolved)!;
      delete slot[localMediaField];
      slot.id = metaId.metaId;
      return resolved;
    },
  };
}
