import type { SearchPage } from '../../../shared/ipc';
import type { Archive } from '../archive';
import type { ChannelHandlers } from '../dispatcher';
import { AppError } from '../errors';

type SearchChannels = Pick<ChannelHandlers, 'search:messages'>;

/** Cursors cross the IPC boundary as opaque strings; inside they are the last message id of the page. */
function parseCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  if (!/^\d{1,15}$/.test(cursor)) throw new AppError('invalid_request', 'The search cursor is not valid', [{ path: 'cursor', message: 'not a cursor' }]);
  return Number(cursor);
}

export function createSearchHandlers(archive: () => Archive): SearchChannels {
  return {
    'search:messages': ({ query, filters, cursor, limit }): SearchPage => {
      const page = archive().search.searchMessages({ text: query, ...filters, before: parseCursor(cursor), limit });
      return {
        hits: page.items.map((hit) => ({
          messageId: hit.messageId,
          conversationId: hit.conversationId,
          contactName: hit.contactDisplayName,
          timestamp: hit.timestamp,
          direction: hit.direction,
          type: hit.type,
          status: hit.status,
          snippet: hit.snippet,
        })),
        nextCursor: page.next === null ? null : String(page.next),
      };
    },
  };
}
