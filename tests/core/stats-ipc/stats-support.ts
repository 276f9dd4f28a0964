/**
 * A demo workspace in a real core (encrypted SQLite in a temp folder, the sandbox as Meta) with a small,
 * hand-written history for the statistics channels. Business timezone Asia/Hong_Kong (UTC+8, no DST); core's
 * clock is Mon 2026-03-02 10:00Z = 18:00 in Hong Kong, so "today" is 2026-03-02 and "7 days" 02-24 … 03-02.
 *
 *  key  chat        HK local time           what
 *  m1   Mei Lin     Mon 03-02 09:00         in  "Hi, are you open today?"      → episode, answered by m3 (20 min)
 *  m2   Mei Lin     Mon 03-02 09:00:30      out greeting (automatic), delivered
 *  m3   Mei Lin     Mon 03-02 09:20         out Ann, read
 *  m4   Mei Lin     Mon 03-02 09:25         out Ann, failed 131026
 *  o1   Ollie       Sun 03-01 10:00         in                                → episode, answered by o2 (60 min;
 *  o2   Ollie       Sun 03-01 11:00         out Bob, delivered                     0 in open hours: closed on Sunday)
 *  o3   Ollie       Sun 03-01 11:05         out Bob, failed 131047
 *  c0   陈美玲       Fri 02-20 10:00         out Ann, failed 131049 (before every range used)
 *  c1   陈美玲       Mon 03-02 12:00         in, unread, never answered          → unanswered episode
 *
 * Labels: "批发客户" on Mei's chat, "=HYPERLINK(""http://x"")" on Ollie's (a formula a spreadsheet must not run).
 * Ollie's name carries a comma and quotes, for the CSV's quoting.
 */
import type { Archive } from '../../../electron/core/archive';
import { createAutomationStore } from '../../../electron/core/automation/repositories/automation-store';
import type { BusinessHours, DayHours } from '../../../shared/rules/business-hours';
import { openDemoInbox } from '../inbox/inbox-support';

export const hk = (local: string) => Date.parse(`2026-${local}+08:00`);
export const minute = 60_000;
export const ollieName = 'Ollie "O" Bennett, Jr.';
export const formulaLabel = '=HYPERLINK("http://x")';

const open: DayHours = { mode: 'open', intervals: [{ start: '09:00', end: '18:00' }] };
const closed: DayHours = { mode: 'closed' };
export const hongKongHours: BusinessHours = {
  timezone: 'Asia/Hong_Kong',
  week: { mon: open, tue: open, wed: open, thu: open, fri: open, sat: closed, sun: closed },
  exceptions: [],
};

type Status = 'sent' | 'delivered' | 'read' | 'failed';

function chat(archive: Archive, waId: string, name: string, unread = false) {
  const contact = archive.contacts.upsertByIdentity({ waId, phone: waId, profileName: name });
  const conversationId = archive.conversations.getOrCreateForContact(contact.id).conversation.id;
  return (key: string, dir: 'in' | 'out', at: string, extra: { staff?: string; automatic?: 'greeting'; status?: Status; errorCode?: number; text?: string } = {}) => {
    const ts = hk(at);
    const { id } = archive.messages.insert(
      {
        conversationId,
        wamid: `wamid.stats.${key}`,
        direction: dir,
        type: 'text',
        text: extra.text ?? `message ${key}`,
        timestamp: ts,
        ...(dir === 'out' ? { status: 'sent' as const, statusAt: ts, senderStaffId: extra.staff ?? null, automatic: extra.automatic ?? null } : {}),
      },
      { countsAsUnread: unread },
    );
    if (extra.status && extra.status !== 'sent') {
      archive.statusEvents.applyDeliveryStatus(id, { status: extra.status, at: ts + minute, errorCode: extra.errorCode ?? null, errorTitle: extra.errorCode ? 'error' : null });
    }
    return { id, conversationId };
  };
}

export async function openStatsWorkspace() {
  const inbox = await openDemoInbox();
  const archive = inbox.archive();
  archive.db.exec('UPDATE conversations SET unread_count = 0, manual_unread = 0');
  createAutomationStore(archive.db).addHoursVersion(hongKongHours, Date.UTC(2026, 0, 1));
  archive.staff.create({ id: 'ann', name: 'Ann', pinHash: '$argon2id$not-a-real-hash' });
  archive.staff.create({ id: 'bob', name: 'Bob', pinHash: null });
  const wholesale = archive.labels.create({ name: '批发客户', colour: 3 }).id;
  const formula = archive.labels.create({ name: formulaLabel, colour: 5 }).id;

  const mei = chat(archive, '85291230001', 'Mei Lin');
  const m1 = mei('m1', 'in', '03-02T09:00:00', { text: 'Hi, are you open today?' });
  const m2 = mei('m2', 'out', '03-02T09:00:30', { automatic: 'greeting', status: 'delivered', text: 'Welcome! We will answer shortly.' });
  const m3 = mei('m3', 'out', '03-02T09:20:00', { staff: 'ann', status: 'read', text: 'Yes, until 6 pm' });
  const m4 = mei('m4', 'out', '03-02T09:25:00', { staff: 'ann', status: 'failed', errorCode: 131026, text: 'Here is our address' });
  const ollie = chat(archive, '447700900123', ollieName);
  const o1 = ollie('o1', 'in', '03-01T10:00:00');
  const o2 = ollie('o2', 'out', '03-01T11:00:00', { staff: 'bob', status: 'delivered' });
  const o3 = ollie('o3', 'out', '03-01T11:05:00', { staff: 'bob', status: 'failed', errorCode: 131047 });
  const chen = chat(archive, '85291230003', '陈美玲', true);
  const c0 = chen('c0', 'out', '02-20T10:00:00', { staff: 'ann', status: 'failed', errorCode: 131049 });
  const c1 = chen('c1', 'in', '03-02T12:00:00', { text: '请问周六营业吗？' });

  archive.labels.assignToConversations(wholesale, [m1.conversationId]);
  archive.labels.assignToConversations(formula, [o1.conversationId]);
  const ids = { m1: m1.id, m2: m2.id, m3: m3.id, m4: m4.id, o1: o1.id, o2: o2.id, o3: o3.id, c0: c0.id, c1: c1.id };
  const chats = { mei: m1.conversationId, ollie: o1.conversationId, chen: c1.conversationId };
  return { ...inbox, ids, chats, labels: { wholesale, formula } };
}

export type StatsWorkspace = Awaited<ReturnType<typeof openStatsWorkspace>>;
