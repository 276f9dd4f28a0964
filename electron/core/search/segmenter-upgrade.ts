import type { Archive } from '../archive';
import { segmenterVersion } from '../archive';
import type { EventSinkPort } from '../ports';
import type { Logger } from '../logger';

const settingKey = 'search.segmenter';

/**
 * Chinese words are split by ICU's dictionary, and another ICU (an Electron or Node upgrade) may split them
 * differently: then queries would miss words indexed the old way. When the ICU version changes, the index is
 * rebuilt once, with progress events.
 */
export function ensureSearchIndexMatchesSegmenter(archive: Archive, events: EventSinkPort, logger: Logger): void {
  const indexedWith = archive.settings.get(settingKey);
  if (indexedWith === segmenterVersion) return;
  if (indexedWith !== undefined) {
    logger.info('Rebuilding the search index for a new text segmenter', { from: String(indexedWith), to: segmenterVersion });
    archive.search.rebuild((done, total) => events.emit('task:progress', { task: 'search-index', done, total }));
  }
  archive.settings.set(settingKey, segmenterVersion);
}
