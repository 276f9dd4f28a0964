import { describe, expect, it } from 'vitest';
import { segmenterVersion } from '../../../electron/core/archive';
import { createLogger } from '../../../electron/core/logger';
import { createEventHub, createMemoryLogger } from '../../../electron/core/node-ports';
import { ensureSearchIndexMatchesSegmenter } from '../../../electron/core/search/segmenter-upgrade';
import { createTestArchive } from '../../support/archive-helpers';
import { fillArchive } from '../../support/seed-archive';

describe('search index and the ICU segmenter', () => {
  it('records the segmenter of a new archive without rebuilding', () => {
    const { archive } = createTestArchive();
    const events = createEventHub();
    const seen: unknown[] = [];
    events.subscribe((name, payload) => seen.push([name, payload]));
    ensureSearchIndexMatchesSegmenter(archive, events, createLogger(createMemoryLogger()));
    expect(archive.settings.get('search.segmenter')).toBe(segmenterVersion);
    expect(seen).toEqual([]);
  });

  it('rebuilds the index, with progress, when the archive was indexed by another ICU — and search still finds Chinese words', () => {
    const { archive } = createTestArchive();
    fillArchive(archive, { messages: 300, seed: 4 });
    const before = archive.search.searchMessages({ text: '订单', limit: 100 }).items.map((hit) => hit.messageId);
    expect(before.length).toBeGreaterThan(0);
    archive.settings.set('search.segmenter', 'icu-00.0');
    // Simulate words indexed the old way: wipe the index as a different split would leave it unusable.
    archive.db.exec("INSERT INTO messages_fts(messages_fts) VALUES ('delete-all')");
    expect(archive.search.searchMessages({ text: '订单' }).items).toEqual([]);

    const events = createEventHub();
    const progress: Array<{ done: number; total: number }> = [];
    events.subscribe((name, payload) => name === 'task:progress' && progress.push(payload as { done: number; total: number }));
    ensureSearchIndexMatchesSegmenter(archive, events, createLogger(createMemoryLogger()));
    expect(archive.search.searchMessages({ text: '订单', limit: 100 }).items.map((hit) => hit.messageId)).toEqual(before);
    expect(progress.at(-1)).toMatchObject({ done: progress.at(-1)!.total });
    expect(archive.settings.get('search.segmenter')).toBe(segmenterVersion);
  });
});
