import { describe, expect, it } from 'vitest';
import type { Archive } from '../../../electron/core/archive/connection';
import { indexableText, makeSnippet, parseSearchQuery, segmentWords } from '../../../electron/core/archive/search';
import type { NewMessage } from '../../../electron/core/archive/types';
import { createTestArchive } from '../../support/archive-helpers';

function chatWith(archive: Archive, identity: { waId?: string; userId?: string; profileName?: string; username?: string }) {
  const contact = archive.contacts.upsertByIdentity(identity);
  return archive.conversations.getOrCreateForContact(contact.id).conversation.id;
}

let clock = Date.UTC(2026, 0, 5, 9);
function say(archive: Archive, conversationId: number, text: string, extra: Partial<NewMessage> = {}) {
  clock += 60_000;
  return archive.messages.insert({ conversationId, direction: 'in', type: 'text', text, timestamp: clock, ...extra }).id;
}

const texts = (archive: Archive, query: Parameters<Archive['search']['searchMessages']>[0]) =>
  archive.search.searchMessages(query).items.map((hit) => archive.messages.get(hit.messageId)!.text ?? archive.messages.get(hit.messageId)!.caption);

describe('search text pipeline', () => {
  it('segments Chinese into words and keeps mixed text apart', () => {
    expect(segmentWords('您的订单已发货')).toEqual(expect.arrayContaining(['您', '订单']));
    expect(segmentWords('您的order已发货')).toContain('order');
    expect(indexableText('您的订单已发货，谢谢！')).not.toMatch(/[，！]/);
    expect(indexableText('Hello, world')).toBe('Hello, world');
    expect(indexableText('ｏｒｄｅｒ')).toBe('order'); // full-width letters typed with a Chinese IME
  });

  it('quotes every term, makes the last a prefix, and never passes FTS syntax through', () => {
    expect(parseSearchQuery('deliv')!.match).toBe('"deliv" *');
    expect(parseSearchQuery('order 12345')!.match).toBe('"order" "12345" *');
    expect(parseSearchQuery('e-mail')!.match).toBe('"e mail" *');
    expect(parseSearchQuery('a')!.match).toBe('"a"'); // a one-letter prefix would match most of the archive
    expect(parseSearchQuery('订')!.match).toBe('"订" *');
    for (const hostile of ['"', '*', '""', 'AND', 'OR NOT', 'NEAR(a b)', 'col:x', '^start', 'a"b', '(', ')']) {
      const parsed = parseSearchQuery(hostile);
      if (parsed) expect(parsed.match).toMatch(/^("[^"]*"( \*)? ?)+$/);
    }
    expect(parseSearchQuery('  \t ')).toBeNull();
    expect(parseSearchQuery('!!! ???')).toBeNull();
  });

  it('cuts a snippet around the first match and locates the words, case and accents folded', () => {
    const long = `${'lorem ipsum '.repeat(30)}your Délivery is on the way ${'dolor sit '.repeat(30)}`;
    const snippet = makeSnippet(long, ['delivery'], 80);
    expect(snippet.text.length).toBeLessThanOrEqual(82);
    expect(snippet.text.startsWith('…')).toBe(true);
    expect(snippet.text.endsWith('…')).toBe(true);
    const [first] = snippet.highlights;
    expect(snippet.text.slice(first!.start, first!.end)).toBe('Délivery');
    const chinese = makeSnippet('您的订单已发货', ['订单']);
    expect(chinese.highlights).toEqual([{ start: 2, end: 4 }]);
    // "order" is not highlighted inside "reorder".
    expect(makeSnippet('reorder the order', ['order']).highlights).toEqual([{ start: 12, end: 17 }]);
  });
});

describe('message search', () => {
  it('finds a Chinese word inside a sentence, and whole phrases', () => {
    const { archive } = createTestArchive();
    const c = chatWith(archive, { waId: '8613800000001', profileName: '王芳' });
    say(archive, c, '您的订单已发货');
    say(archive, c, '请问什么时候发货？');
    say(archive, c, '谢谢');
    expect(texts(archive, { text: '订单' })).toEqual(['您的订单已发货']);
    expect(texts(archive, { text: '发货' })).toEqual(['请问什么时候发货？', '您的订单已发货']);
    expect(texts(archive, { text: '订单已发货' })).toEqual(['您的订单已发货']);
    expect(texts(archive, { text: '退款' })).toEqual([]);
  });

  it('finds English words by prefix, case and accents ignored', () => {
    const { archive } = createTestArchive();
    const c = chatWith(archive, { waId: '447700900001', profileName: 'Emma' });
    say(archive, c, 'Your delivery is on the way');
    say(archive, c, 'It was DELIVERED this morning');
    say(archive, c, 'Table at the Café at noon');
    say(archive, c, 'Deli sandwiches');
    expect(texts(archive, { text: 'deliv' })).toEqual(['It was DELIVERED this morning', 'Your delivery is on the way']);
    expect(texts(archive, { text: 'delivery' })).toEqual(['Your delivery is on the way']);
    expect(texts(archive, { text: 'cafe' })).toEqual(['Table at the Café at noon']);
    expect(texts(archive, { text: 'the way' })).toEqual(['Your delivery is on the way']);
  });

  it('handles mixed Chinese and English in text and query', () => {
    const { archive } = createTestArchive();
    const c = chatWith(archive, { waId: '6591234567', profileName: 'Mei' });
    say(archive, c, '您好，order 12345 已经 ready 了');
    say(archive, c, 'Hello 王先生, your 预约 is on Friday');
    say(archive, c, 'order shipped');
    expect(texts(archive, { text: 'order 已经' })).toEqual(['您好，order 12345 已经 ready 了']);
    expect(texts(archive, { text: '预约 fri' })).toEqual(['Hello 王先生, your 预约 is on Friday']);
    expect(texts(archive, { text: '您好order' })).toEqual(['您好，order 12345 已经 ready 了']);
  });

  it('never fails on quotes, stars and FTS operators typed by a user', () => {
    const { archive } = createTestArchive();
    const c = chatWith(archive, { waId: '15550000001' });
    say(archive, c, 'He said "NEAR" AND left * early (really)');
    for (const hostile of ['"', '"unterminated', '*', 'NEAR(', 'NEAR(a b', 'AND', 'OR', 'NOT', 'a AND', '"NEAR"', '(really)', 'col:val', '^he', '-x', '+', '{a b}: c', "'; DROP TABLE messages; --"]) {
      expect(() => archive.search.searchMessages({ text: hostile })).not.toThrow();
    }
    expect(texts(archive, { text: '"NEAR" AND' })).toEqual(['He said "NEAR" AND left * early (really)']);
    expect(texts(archive, { text: '(really)' })).toEqual(['He said "NEAR" AND left * early (really)']);
    expect(archive.search.searchMessages({ text: '' })).toEqual({ items: [], next: null });
  });

  it('searches captions too, and returns what a result row needs', () => {
    const { archive } = createTestArchive();
    const c = chatWith(archive, { waId: '8613800000002', profileName: 'Li Wei' });
    archive.contacts.update(archive.conversations.get(c)!.contactId!, { savedName: 'Mr Li (VIP)' });
    const id = say(archive, c, '', { type: 'image', text: null, caption: 'Receipt for the parcel' });
    const page = archive.search.searchMessages({ text: 'receipt' });
    expect(page.items).toHaveLength(1);
    const hit = page.items[0]!;
    expect(hit).toMatchObject({ messageId: id, conversationId: c, contactDisplayName: 'Mr Li (VIP)', direction: 'in', type: 'image', status: null });
    expect(hit.snippet.text).toBe('Receipt for the parcel');
    expect(hit.snippet.highlights).toEqual([{ start: 0, end: 7 }]);
  });

  it('filters by contact, label, date range, direction, type, status and staff', () => {
    const { archive } = createTestArchive();
    const ann = chatWith(archive, { waId: '10000000001', profileName: 'Ann' });
    const bob = chatWith(archive, { userId: 'US.2000000001', username: 'bob', profileName: 'Bob' });
    const a1 = say(archive, ann, 'parcel one');
    const a2 = say(archive, ann, 'parcel two', { direction: 'out', status: 'read', senderStaffId: 'staff-1' });
    const b1 = say(archive, bob, 'parcel three', { direction: 'out', status: 'failed', senderStaffId: 'staff-2' });
    const b2 = say(archive, bob, 'parcel four', { type: 'document', text: null, caption: 'parcel four' });
    const ids = (q: Omit<Parameters<Archive['search']['searchMessages']>[0], 'text'>) =>
      archive.search.searchMessages({ text: 'parcel', ...q }).items.map((h) => h.messageId);

    expect(ids({})).toEqual([b2, b1, a2, a1]);
    expect(ids({ contactId: archive.conversations.get(ann)!.contactId! })).toEqual([a2, a1]);
    expect(ids({ direction: 'out' })).toEqual([b1, a2]);
    expect(ids({ type: 'document' })).toEqual([b2]);
    expect(ids({ status: 'failed' })).toEqual([b1]);
    expect(ids({ staffId: 'staff-1' })).toEqual([a2]);
    const t1 = archive.messages.get(a2)!.timestamp;
    const t2 = archive.messages.get(b1)!.timestamp;
    expect(ids({ from: t1, to: t2 + 1 })).toEqual([b1, a2]);
    expect(ids({ from: t1, to: t2 })).toEqual([a2]);

    const label = archive.labels.create({ name: 'Pending payment', colour: 4 });
    archive.labels.assignToConversations(label.id, [bob]);
    archive.labels.assignToMessage(label.id, a1);
    expect(ids({ labelId: label.id })).toEqual([b2, b1, a1]);
    expect(archive.search.searchMessages({ text: 'parcel', contactId: archive.conversations.get(bob)!.contactId! }).items[0]!.contactDisplayName).toBe('Bob');
  });

  it('pages newest first by cursor without gaps or repeats', () => {
    const { archive } = createTestArchive();
    const c = chatWith(archive, { waId: '10000000002' });
    const ids = Array.from({ length: 25 }, (_, i) => say(archive, c, `invoice number ${i}`));
    const seen: number[] = [];
    let before: number | null = null;
    let pages = 0;
    do {
      const page = archive.search.searchMessages({ text: 'invoice', limit: 10, before });
      seen.push(...page.items.map((h) => h.messageId));
      before = page.next;
      pages++;
    } while (before !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it('drops deleted and edited words from the index, and optimize leaves none behind', () => {
    const { archive } = createTestArchive();
    const c = chatWith(archive, { waId: '10000000003' });
    const keep = say(archive, c, 'secret recipe for the cake');
    const gone = say(archive, c, 'secret password hunter2');
    const edited = say(archive, c, 'typo mesage');
    expect(archive.messages.delete([gone])).toBe(1);
    archive.messages.applyEdit(edited, { text: 'fixed message', caption: null, editedAt: clock });
    expect(archive.search.searchMessages({ text: 'secret' }).items.map((h) => h.messageId)).toEqual([keep]);
    expect(archive.search.searchMessages({ text: 'hunter2' }).items).toEqual([]);
    expect(archive.search.searchMessages({ text: 'mesage' }).items).toEqual([]);
    expect(archive.search.searchMessages({ text: 'fixed' }).items.map((h) => h.messageId)).toEqual([edited]);

    archive.search.optimize();
    // After optimize the index has one segment and no term of the deleted message.
    archive.db.exec("CREATE VIRTUAL TABLE temp.v USING fts5vocab('main', 'messages_fts', 'row')");
    const terms = archive.db.prepare<[], string>('SELECT term FROM temp.v').pluck().all();
    expect(terms).toContain('recipe');
    expect(terms).not.toContain('hunter2');
    expect(terms).not.toContain('password');
    expect(terms).not.toContain('mesage');
  });

  it('batches index writes in a transaction without ever indexing what the batch deleted or rolled back', () => {
    const { archive } = createTestArchive();
    const c = chatWith(archive, { waId: '10000000005' });
    const vocabulary = () => {
      archive.db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.v USING fts5vocab('main', 'messages_fts', 'row')");
      return archive.db.prepare<[], string>('SELECT term FROM temp.v').pluck().all();
    };
    let kept = 0;
    archive.transaction(() => {
      kept = say(archive, c, 'alpha stays');
      const deleted = say(archive, c, 'bravo deleted before commit');
      archive.messages.delete([deleted]);
      const edited = say(archive, c, 'charlie draft');
      archive.messages.applyEdit(edited, { text: 'delta final', caption: null, editedAt: clock });
      expect(() =>
        archive.transaction(() => {
          say(archive, c, 'echo rolled back');
          throw new Error('inner failure');
        }),
      ).toThrow('inner failure');
      // A search inside the batch sees the batch.
      expect(texts(archive, { text: 'alpha' })).toEqual(['alpha stays']);
    });
    expect(() =>
      archive.transaction(() => {
        say(archive, c, 'foxtrot whole batch fails');
        throw new Error('outer failure');
      }),
    ).toThrow('outer failure');
    archive.search.optimize();
    const terms = vocabulary();
    expect(terms).toEqual(expect.arrayContaining(['alpha', 'stays', 'delta', 'final']));
    for (const gone of ['bravo', 'charlie', 'draft', 'echo', 'foxtrot']) expect(terms).not.toContain(gone);
    expect(texts(archive, { text: 'alpha' })).toEqual(['alpha stays']);
    expect(archive.messages.get(kept)).toBeDefined();
  });

  it('finds contacts by name, username, notes and number', () => {
    const { archive } = createTestArchive();
    const wang = archive.contacts.upsertByIdentity({ waId: '8613812345678', phone: '8613812345678', profileName: '王芳' }).id;
    const emma = archive.contacts.upsertByIdentity({ userId: 'GB.1', username: 'emma_w', profileName: 'Emma Wilson' }).id;
    archive.contacts.update(emma, { notes: 'Prefers delivery after 5pm' });
    expect(archive.search.searchContacts('王').map((h) => h.contactId)).toEqual([wang]);
    expect(archive.search.searchContacts('emma_w').map((h) => h.contactId)).toEqual([emma]);
    expect(archive.search.searchContacts('wils').map((h) => h.contactId)).toEqual([emma]);
    expect(archive.search.searchContacts('deliv').map((h) => h.contactId)).toEqual([emma]);
    expect(archive.search.searchContacts('+86 138 1234').map((h) => h.contactId)).toEqual([wang]);
    expect(archive.search.searchContacts('"')).toEqual([]);
  });

  it('rebuilds the index from the stored messages', () => {
    const { archive } = createTestArchive();
    const c = chatWith(archive, { waId: '10000000004', profileName: 'Zoe' });
    say(archive, c, '您的订单已发货');
    say(archive, c, 'delivery tomorrow');
    archive.db.exec("INSERT INTO messages_fts(messages_fts) VALUES ('delete-all')");
    expect(texts(archive, { text: '订单' })).toEqual([]);
    const progress: number[] = [];
    archive.search.rebuild((done) => progress.push(done));
    expect(texts(archive, { text: '订单' })).toEqual(['您的订单已发货']);
    expect(texts(archive, { text: 'deliv' })).toEqual(['delivery tomorrow']);
    expect(archive.search.searchContacts('zoe')).toHaveLength(1);
    expect(progress.at(-1)).toBe(3);
  });
});
