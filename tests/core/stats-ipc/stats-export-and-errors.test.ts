/**
 * Statistics CSV files (issue 8) written through the dialogs port, and the channels' refusals: every bad request
 * answers a stable code, naming the field that is wrong.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IpcError } from '../../../shared/ipc';
import { parseCsv } from '../../../electron/core/contacts/csv';
import { call } from '../inbox/inbox-support';
import { formulaLabel, ollieName, openStatsWorkspace } from './stats-support';
import type { StatsWorkspace } from './stats-support';
import { tempDir } from '../helpers';

const labelHeaders = ['标签', 'Sent', 'Delivered', 'Read', 'Failed', 'Received', 'Delivery rate (%)', 'Read rate (%)', 'Conversations', 'Waiting', 'First response (min)', 'Reply (min)'];
const drillHeaders = ['Time', 'Chat', 'Direction', 'Type', 'Text', 'Status', 'Error code', 'Reason', 'Staff', 'Wait (min)', 'Message id', 'Conversation id'];

async function exported(ws: StatsWorkspace, request: Record<string, unknown>): Promise<{ result: { saved: boolean; rows: number }; text: string }> {
  const path = join(tempDir(), 'statistics.csv');
  ws.ports.dialogs.preset('chooseSaveFile', path);
  const result = await call<{ saved: boolean; rows: number }>(ws.core, 'stats:export-csv', { range: { preset: '7d' }, unattributed: 'Automatic', ...request });
  return { result, text: await readFile(path, 'utf8') };
}

async function refused(ws: StatsWorkspace, channel: string, payload: unknown): Promise<IpcError> {
  const result = (await ws.core.invoke(channel, payload)) as { ok: boolean; error?: IpcError };
  expect(result.ok, JSON.stringify(payload)).toBe(false);
  return result.error!;
}

describe('stats:export-csv', () => {
  it('writes the per-label table as the page shows it: BOM, CRLF, quoted names, formulas defused, Chinese intact', async () => {
    const ws = await openStatsWorkspace();
    const { result, text } = await exported(ws, { kind: 'table', table: 'perLabel', businessHours: false, headers: labelHeaders });
    expect(text.startsWith('\uFEFF标签,Sent,')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const records = parseCsv(text.slice(1)).records.map((r) => r.fields);
    expect(records[0]).toEqual(labelHeaders);
    // The default labels and the two of the fixture, in label order.
    expect(result).toEqual({ saved: true, rows: records.length - 1 });
    const byName = new Map(records.slice(1).map((r) => [r[0], r]));
    // 批发客户 (Mei): sent 3, delivered 2, read 1, failed 1, received 1; 66.7 % delivered, 50 % read; one episode
    // answered in 20 min (reply 20 min too).
    expect(byName.get('批发客户')).toEqual(['批发客户', '3', '2', '1', '1', '1', '66.7', '50', '1', '0', '20', '20']);
    // The label named like a formula starts with an apostrophe, so a spreadsheet shows it as text; its quotes are doubled.
    expect(text).toContain(`"'=HYPERLINK(""http://x"")",2,1,0,1,1,50,0,1,0,60,60\r\n`);
    expect(byName.get(`'${formulaLabel}`)).toBeDefined();
    // A label with nothing in range has empty rates and times, not zeros.
    expect(byName.get('Paid')).toEqual(['Paid', '0', '0', '0', '0', '0', '', '', '0', '0', '', '']);
  });

  it('writes per-staff times counting open hours when the page’s switch is on, naming unattributed messages', async () => {
    const ws = await openStatsWorkspace();
    const headers = ['Staff', 'Sent', 'Delivered', 'Read', 'Failed', 'Delivery rate (%)', 'Read rate (%)', 'Answered', 'First response (min)', 'Reply (min)'];
    const { text } = await exported(ws, { kind: 'table', table: 'perStaff', businessHours: true, headers });
    const rows = parseCsv(text.slice(1)).records.map((r) => r.fields);
    expect(rows.slice(1)).toEqual([
      ['Ann', '2', '1', '1', '1', '50', '100', '1', '20', '20'],
      // Bob's Sunday answer took no open time.
      ['Bob', '2', '1', '0', '1', '50', '0', '1', '0', '0'],
      ['Automatic', '1', '1', '0', '0', '100', '0', '0', '', ''],
    ]);
  });

  it('writes a drill-down list in the business timezone, newest first, as the list shows it', async () => {
    const ws = await openStatsWorkspace();
    const { result, text } = await exported(ws, { kind: 'drill-down', figure: { metric: 'failed' }, headers: drillHeaders });
    expect(result).toEqual({ saved: true, rows: 2 });
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(text.slice(1)).records.map((r) => r.fields);
    expect(rows[0]).toEqual(drillHeaders);
    expect(rows[1]).toEqual([
      '2026-03-02 09:25',
      'Mei Lin',
      'out',
      'text',
      'Here is our address',
      'failed',
      '131026',
      'the message could not be delivered — the number may not be on WhatsApp or the app is too old',
      'Ann',
      '',
      String(ws.ids.m4),
      String(ws.chats.mei),
    ]);
    expect(rows[2]!.slice(0, 3)).toEqual(['2026-03-01 11:05', ollieName, 'out']);
    // The name with a comma and quotes survives the round trip because it was quoted.
    expect(text).toContain('"Ollie ""O"" Bennett, Jr."');
  });

  it('writes nothing when the save dialog is cancelled, and records each export in the audit log', async () => {
    const ws = await openStatsWorkspace();
    const exports = () => ws.archive().audit.page({ limit: 100 }).filter((e) => e.action === 'stats.exported');
    ws.ports.dialogs.preset('chooseSaveFile', null);
    const request = { kind: 'table', table: 'perDay', range: { preset: '7d' }, businessHours: false, headers: ['Date', 'Sent', 'Received'], unattributed: 'Automatic' };
    expect(await call(ws.core, 'stats:export-csv', request)).toEqual({ saved: false, rows: 0 });
    expect(exports()).toEqual([]);
    const { result, text } = await exported(ws, request);
    // One row per date of the 7 days.
    expect(result).toEqual({ saved: true, rows: 7 });
    expect(text.split('\r\n').at(-2)).toBe('2026-03-02,3,2');
    expect(exports().map((e) => e.details)).toEqual([{ kind: 'table', what: 'by-day', rows: 7 }]);
  });
});

describe('refusals with stable codes', () => {
  it('names the field of a bad range, figure or page', async () => {
    const ws = await openStatsWorkspace();
    const cases: Array<[string, unknown, string]> = [
      ['stats:compute', { range: { preset: 'custom', fromDate: '2026-02-30', toDate: '2026-03-01' } }, 'range.fromDate'],
      ['stats:compute', { range: { preset: 'custom', fromDate: '2026-03-02', toDate: '2026-03-01' } }, 'range.toDate'],
      ['stats:compute', { range: { preset: 'custom', fromDate: '2024-01-01', toDate: '2026-03-01' } }, 'range.toDate'],
      ['stats:compute', { range: { preset: 'year' } }, 'range.preset'],
      ['stats:compute', { range: { preset: '7d' }, labelId: 0 }, 'labelId'],
      ['stats:compute', { range: { preset: '7d' }, from: 0 }, ''],
      ['stats:drill-down', { range: { preset: '7d' }, figure: { metric: 'volume', hourOfWeek: 168 }, limit: 10 }, 'figure.hourOfWeek'],
      ['stats:drill-down', { range: { preset: '7d' }, figure: { metric: 'episodes', minMs: 0 }, limit: 10 }, 'figure.minMs'],
      ['stats:drill-down', { range: { preset: '7d' }, figure: { metric: 'spam' }, limit: 10 }, 'figure.metric'],
      ['stats:drill-down', { range: { preset: '7d' }, figure: { metric: 'sent' }, limit: 201 }, 'limit'],
      ['stats:export-csv', { kind: 'table', table: 'perLabel', range: { preset: '7d' }, businessHours: false, headers: [], unattributed: 'x' }, 'headers'],
      ['stats:export-csv', { kind: 'table', table: 'everything', range: { preset: '7d' }, businessHours: false, headers: ['a'], unattributed: 'x' }, 'table'],
    ];
    for (const [channel, payload, path] of cases) {
      const error = await refused(ws, channel, payload);
      expect(error.code, JSON.stringify(payload)).toBe('invalid_request');
      expect(error.fields?.map((f) => f.path), JSON.stringify(payload)).toContain(path);
    }
    // The right shape with the wrong number of column titles: refused before any dialog opens.
    const columns = await refused(ws, 'stats:export-csv', { kind: 'table', table: 'perDay', range: { preset: '7d' }, businessHours: false, headers: ['Date'], unattributed: 'x' });
    expect(columns).toMatchObject({ code: 'invalid_request', fields: [{ path: 'headers' }] });
  });

  it('answers not_found for a label or staff member that does not exist, and locked when locked', async () => {
    const ws = await openStatsWorkspace();
    expect((await refused(ws, 'stats:compute', { range: { preset: '7d' }, labelId: 99_999 })).code).toBe('not_found');
    expect((await refused(ws, 'stats:drill-down', { range: { preset: '7d' }, staffId: 'nobody', figure: { metric: 'sent' }, limit: 5 })).code).toBe('not_found');
    await call(ws.core, 'vault:lock');
    expect((await refused(ws, 'stats:compute', { range: { preset: '7d' } })).code).toBe('locked');
    expect((await refused(ws, 'stats:export-csv', { kind: 'table', table: 'perDay', range: { preset: '7d' }, businessHours: false, headers: ['a', 'b', 'c'], unattributed: 'x' })).code).toBe('locked');
  });
});
