/**
 * The contacts page through core.invoke on a real (encrypted) workspace: import from CSV and vCard, search,
 * label filter, editing, export, and the refusals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, tempDir } from '../helpers';
import { seedCustomer, startContactsCore } from './contacts-support';

const bom = '\uFEFF';

describe('contacts import', () => {
  it('adds the good rows of a CSV (BOM, CRLF, quoted comma and line break) and reports each bad one', async () => {
    const { importFile, list, archive } = await startContactsCore();
    const csv =
      bom +
      [
        'Name,Phone,Notes',
        '"Lee, Ann",+44 7911 123456,"Prefers mornings\r\nPays by card"',
        'No Code,138 0013 8000,',
        '',
        'Bob,+1 415 555 2671,',
        'Nobody,,just a note',
        'Short,+86 1234,',
        'Wang,0086 138 0013 8000,VIP',
      ].join('\r\n') +
      '\r\n';
    const report = await importFile('csv', csv);
    expect(report).toEqual({
      added: 3,
      updated: 0,
      rejected: [
        { row: 4, reason: expect.stringMatching(/country code/), value: '138 0013 8000' },
        { row: 7, reason: 'No phone number', value: 'Nobody' },
        { row: 8, reason: expect.stringMatching(/not a valid number/i), value: '+86 1234' },
      ],
    });
    const page = await list();
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => [r.displayName, r.phone, r.notes])).toEqual([
      ['Bob', '+1 415 555 2671', ''],
      ['Lee, Ann', '+44 7911 123456', 'Prefers mornings\nPays by card'],
      ['Wang', '+86 138 0013 8000', 'VIP'],
    ]);
    // Numbers are stored as E.164 digits, the form webhooks use, so the person who writes later is the same contact.
    expect(archive().contacts.findByIdentity({ phone: '8613800138000' })?.savedName).toBe('Wang');
    // The audit log records the import by counts only.
    const entry = archive().audit.page({ limit: 1 })[0]!;
    expect(entry).toMatchObject({ action: 'contacts.imported', subject: null, details: { format: 'csv', added: 3, updated: 0, rejected: 3 } });
    expect(JSON.stringify(entry)).not.toMatch(/Wang|7911|Lee/);
  });

  it('reads Chinese headers, updates existing contacts and repeats in the file instead of duplicating', async () => {
    const { importFile, list, archive, events } = await startContactsCore();
    const known = seedCustomer(archive(), { waId: '8613900139000', userId: 'CN.1', profileName: 'wang' }, [1000]);
    const csv = ['姓名,电话,备注', '王小明,+86 139 0013 9000,老客户', '李雷,+86 138 0013 8000,', '李雷（新）,0086-138-0013-8000,第二行'].join('\n');
    const report = await importFile('csv', csv);
    expect(report).toEqual({ added: 1, updated: 1, rejected: [] });
    const page = await list();
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => [r.displayName, r.profileName, r.notes, r.conversationId])).toEqual([
      ['李雷（新）', null, '第二行', null],
      ['王小明', 'wang', '老客户', known.conversationId],
    ]);
    // The conversation list shows the new name.
    expect(events).toContainEqual({ event: 'conversations:changed', payload: { ids: [known.conversationId] } });
    // The same file again changes nothing.
    expect(await importFile('csv', csv)).toEqual({ added: 0, updated: 0, rejected: [] });
  });

  it('imports vCards: folded lines, the mobile of two numbers, notes, quoted-printable, cards without a number refused', async () => {
    const { importFile, list } = await startContactsCore();
    const vcf = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Alexandra',
      '  Folded',
      'TEL;TYPE=HOME:+44 20 7946 0958',
      'TEL;TYPE=CELL:+44 7911 123456',
      'NOTE:Allergic to\\, lilies',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN;CHARSET=UTF-8:No Number',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:2.1',
      'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B;=E5=B0=8F=E6=98=8E;;;',
      'TEL;CELL:13800138000',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN:张伟',
      'TEL;VALUE=uri;TYPE="cell,voice":tel:+86-138-0013-8001',
      'END:VCARD',
    ].join('\r\n');
    const report = await importFile('vcard', vcf);
    expect(report).toEqual({
      added: 2,
      updated: 0,
      rejected: [
        { row: 2, reason: 'No phone number', value: 'No Number' },
        { row: 3, reason: expect.stringMatching(/country code/), value: '13800138000' },
      ],
    });
    const rows = (await list()).rows;
    expect(rows.map((r) => [r.displayName, r.phone, r.notes])).toEqual([
      ['Alexandra Folded', '+44 7911 123456', 'Allergic to, lilies'],
      ['张伟', '+86 138 0013 8001', ''],
    ]);
  });

  it('refuses files over 5 MB or 50,000 rows, files without a phone column, and bad payloads', async () => {
    const { failure } = await startContactsCore();
    const big = await failure('contacts:import', { format: 'csv', bytes: new Uint8Array(5 * 1024 * 1024 + 1) });
    expect(big).toMatchObject({ code: 'invalid_request', fields: [{ path: 'bytes', message: 'at most 5 MB' }] });
    const many = ['name,phone', ...Array.from({ length: 50_001 }, (_, i) => `n${i},+1`)].join('\n');
    expect(await failure('contacts:import', { format: 'csv', bytes: new TextEncoder().encode(many) })).toMatchObject({
      code: 'invalid_request',
      fields: [{ path: 'bytes', message: 'at most 50000 rows' }],
    });
    expect(await failure('contacts:import', { format: 'csv', bytes: new TextEncoder().encode('name,email\nA,a@b.c') })).toMatchObject({
      code: 'invalid_request',
      fields: [{ path: 'bytes', message: 'no phone column' }],
    });
    expect(await failure('contacts:import', { format: 'xls', bytes: new Uint8Array(1) })).toMatchObject({ code: 'invalid_request' });
    expect(await failure('contacts:import', { format: 'csv', bytes: 'name,phone' })).toMatchObject({ code: 'invalid_request' });
    expect(await failure('contacts:list', { offset: 0, limit: 0 })).toMatchObject({ code: 'invalid_request', fields: [{ path: 'limit' }] });
    expect(await failure('contacts:list', { offset: 0, limit: 10, extra: 1 })).toMatchObject({ code: 'invalid_request' });
    expect(await failure('contacts:update', { contactId: 1, savedName: 'x'.repeat(101) })).toMatchObject({ code: 'invalid_request', fields: [{ path: 'savedName' }] });
    expect(await failure('contacts:update', { contactId: 0 })).toMatchObject({ code: 'invalid_request' });
    expect(await failure('contacts:get', { contactId: 999 })).toMatchObject({ code: 'not_found' });
  });
});

describe('contacts list', () => {
  it('finds Chinese names by part, numbers by digits typed any way, usernames; sorts by display name and pages', async () => {
    const { importFile, list, archive } = await startContactsCore();
    seedCustomer(archive(), { waId: '447700900123', userId: 'GB.9', username: 'emma.flowers' });
    seedCustomer(archive(), { waId: '14155552671', profileName: 'zoë' });
    await importFile('csv', ['name,phone', '王小明,+86 138 0013 8000', 'Ann,+44 7911 123456', 'bob,+1 202 555 0123'].join('\n'));
    const names = async (query?: string) => (await list({ query })).rows.map((r) => r.displayName);
    // Names before bare numbers; ASCII case-insensitive, then by code point.
    expect(await names()).toEqual(['Ann', 'bob', 'zoë', '王小明', '+44 7700 900123']);
    expect(await names('小明')).toEqual(['王小明']);
    expect(await names('王小')).toEqual(['王小明']);
    expect(await names('0013 80')).toEqual(['王小明']);
    expect(await names('+86 138-0013')).toEqual(['王小明']);
    expect(await names('(0)7911')).toEqual(['Ann']);
    expect(await names('555')).toEqual(['bob', 'zoë']);
    expect(await names('@emma')).toEqual(['+44 7700 900123']);
    expect(await names('ZOE')).toEqual(['zoë']);
    expect(await names('BO')).toEqual(['bob']);
    expect(await names('nobody')).toEqual([]);
    const second = await list({ offset: 2, limit: 2 });
    expect(second).toMatchObject({ total: 5, offset: 2 });
    expect(second.rows.map((r) => r.displayName)).toEqual(['zoë', '王小明']);
  });

  it('filters by label through the conversation, and shows labels and first and last contact', async () => {
    const { list, archive } = await startContactsCore();
    const paid = archive().labels.create({ name: 'Wholesale', colour: 4 });
    const vip = archive().labels.create({ name: 'VIP', colour: 7 });
    const amy = seedCustomer(archive(), { waId: '447911123456', profileName: 'Amy' }, [5000, 1000, 3000]);
    const ben = seedCustomer(archive(), { waId: '447911123457', profileName: 'Ben' }, [2000]);
    seedCustomer(archive(), { waId: '447911123458', profileName: 'Cat' });
    archive().labels.assignToConversations(paid.id, [amy.conversationId, ben.conversationId]);
    archive().labels.assignToConversations(vip.id, [amy.conversationId]);
    const page = await list({ labelId: paid.id });
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.displayName)).toEqual(['Amy', 'Ben']);
    expect(page.rows[0]).toMatchObject({
      labels: [
        { id: paid.id, name: 'Wholesale', colour: 4 },
        { id: vip.id, name: 'VIP', colour: 7 },
      ],
      firstContactAt: 1000,
      lastContactAt: 5000,
      conversationId: amy.conversationId,
    });
    expect((await list({ labelId: vip.id, query: 'am' })).rows.map((r) => r.displayName)).toEqual(['Amy']);
    expect((await list({ labelId: vip.id, query: 'ben' })).total).toBe(0);
    expect((await list({ query: 'cat' })).rows[0]).toMatchObject({ labels: [], firstContactAt: null, lastContactAt: null });
  });
});

describe('contacts editing', () => {
  it('saves a trimmed name (empty clears it), notes and blocked; audits without content; refreshes the conversation row', async () => {
    const { core, archive, events, get } = await startContactsCore();
    const { contactId, conversationId } = seedCustomer(archive(), { waId: '8613800138000', profileName: 'Xiao Ming' });
    const named = await call(core, 'contacts:update', { contactId, savedName: '  王小明  ', notes: 'Deliver after 6pm' });
    expect(named).toMatchObject({ savedName: '王小明', displayName: '王小明', notes: 'Deliver after 6pm', blocked: false });
    expect(events).toEqual([{ event: 'conversations:changed', payload: { ids: [conversationId] } }]);
    // Search sees the new name.
    expect(archive().search.searchContacts('小明').map((h) => h.contactId)).toEqual([contactId]);

    events.length = 0;
    const blocked = await call(core, 'contacts:update', { contactId, blocked: true });
    expect(blocked).toMatchObject({ blocked: true, displayName: '王小明' });
    expect(events).toEqual([]);
    expect(archive().contacts.get(contactId)?.blocked).toBe(true);

    const cleared = await call(core, 'contacts:update', { contactId, savedName: '   ' });
    expect(cleared).toMatchObject({ savedName: null, displayName: 'Xiao Ming' });
    expect(await get(contactId)).toEqual(cleared);

    const audit = archive().audit.page({ limit: 3 });
    expect(audit.map((e) => [e.action, e.subject, e.details])).toEqual([
      ['contact.updated', `contact:${contactId}`, { fields: 'savedName' }],
      ['contact.updated', `contact:${contactId}`, { fields: 'blocked', blocked: true }],
      ['contact.updated', `contact:${contactId}`, { fields: 'savedName,notes' }],
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/小明|6pm|8613800138000/);
    expect(await call(core, 'contacts:update', { contactId: contactId + 100, notes: 'x' }).catch((e: Error) => e.message)).toMatch(/not_found/);
  });

  it('shows the number in international format, then @username, then the BSUID when there is no name', async () => {
    const { list, archive } = await startContactsCore();
    seedCustomer(archive(), { waId: '8613800138000' });
    archive().contacts.upsertByIdentity({ userId: 'US.42', username: 'bob.builds' });
    archive().contacts.upsertByIdentity({ userId: 'US.43' });
    expect((await list()).rows.map((r) => [r.displayName, r.phone])).toEqual([
      ['+86 138 0013 8000', '+86 138 0013 8000'],
      ['@bob.builds', null],
      ['US.43', null],
    ]);
  });
});

describe('contacts export', () => {
  it('writes a CSV with a BOM, formula-safe cells, labels and dates, that imports back unchanged', async () => {
    const { core, ports, archive, importFile } = await startContactsCore();
    const vip = archive().labels.create({ name: 'VIP', colour: 1 });
    const amy = seedCustomer(archive(), { waId: '447911123456', profileName: 'Amy', username: 'amy' }, [Date.UTC(2025, 0, 2, 3, 4, 5), Date.UTC(2025, 5, 1)]);
    archive().labels.assignToConversations(vip.id, [amy.conversationId]);
    await importFile('csv', 'name,phone,notes\n王小明,+86 138 0013 8000,"line1\nline2"\n=HYPERLINK("http://x"),+1 415 555 2671,');

    const path = join(tempDir(), 'contacts.csv');
    ports.dialogs.preset('chooseSaveFile', path);
    expect(await call(core, 'contacts:export')).toEqual({ saved: true, count: 3 });
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith(bom)).toBe(true);
    expect(text.slice(1).split('\r\n')).toEqual([
      'Name,Phone,Username,Profile name,Saved name,Notes,Labels,First contact,Last contact',
      `"'=HYPERLINK(""http://x"")",'+1 415 555 2671,,,"'=HYPERLINK(""http://x"")",,,,`,
      "Amy,'+44 7911 123456,amy,Amy,,,VIP,2025-01-02T03:04:05.000Z,2025-06-01T00:00:00.000Z",
      `王小明,'+86 138 0013 8000,,,王小明,"line1\nline2",,,`,
      '',
    ]);
    expect(archive().audit.page({ limit: 1 })[0]).toMatchObject({ action: 'contacts.exported', details: { count: 3 } });
    // The exported file is a valid import: nothing changes.
    expect(await importFile('csv', readFileSync(path))).toEqual({ added: 0, updated: 0, rejected: [] });
    // Cancelled: nothing written.
    expect(await call(core, 'contacts:export')).toEqual({ saved: false, count: 0 });
  });

  it('refuses while locked', async () => {
    const { core, failure } = await startContactsCore();
    await call(core, 'vault:lock');
    expect(await failure('contacts:list', { offset: 0, limit: 10 })).toMatchObject({ code: 'locked' });
    expect(await failure('contacts:export', undefined)).toMatchObject({ code: 'locked' });
  });
});
