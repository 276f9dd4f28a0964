import { z } from 'zod';
import type { Archive } from '../../../electron/core/archive';
import { automationStore } from '../../../electron/core/automation/repositories/automation-store';
import type { BusinessHours, DayHours } from '../../../shared/rules/business-hours';
import { registerTestControl, TestControlError } from '../test-controls';

/**
 * Statistics (issue 8): gives the open demo workspace a month of past conversations with its simulated
 * customers, so the Statistics page has something true to show — the way a desk looks after a month: customers
 * write (mostly in the day, some at night), a greeting answers first-timers and an away message answers at
 * night, two staff members answer (faster in open hours), most answers are read, some only delivered, and a
 * few fail with Meta's real reasons (131026 undeliverable, 131047 outside the 24-hour window, 131049 a
 * marketing message held back). A couple of recent messages still wait for an answer. Deterministic for a seed.
 */

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const timezone = 'Asia/Hong_Kong';
const hkOffset = 8 * hour;

const open = (start: string, end: string): DayHours => ({ mode: 'open', intervals: [{ start, end }] });
const hours: BusinessHours = {
  timezone,
  week: { mon: open('09:00', '18:00'), tue: open('09:00', '18:00'), wed: open('09:00', '18:00'), thu: open('09:00', '18:00'), fri: open('09:00', '18:00'), sat: open('10:00', '14:00'), sun: { mode: 'closed' } },
  exceptions: [],
};

const texts = {
  en: {
    open: ['Hi, are you open on Saturday?', 'Do you have this in a size M?', 'Can I change my delivery address?', 'How much is shipping to Manchester?', 'Is the blue one still in stock?', "Hi, my order hasn't arrived yet — can you check?"],
    more: ['Thanks!', 'Also, can I pay by card?', 'It is order 2291', 'Sorry, one more question'],
    answer: ['Yes, we are open 10–2 on Saturdays.', 'We have it in M — shall I keep one for you?', 'Sure, send me the new address.', 'Shipping is £4.50, free over £40.', 'Let me check the tracking for you.'],
  },
  zh: {
    open: ['你好，请问周六营业吗？', '这个还有蓝色的吗？', '请问可以改送货地址吗？', '寄到香港运费多少钱？', '你好！我上周买的东西还没收到。'],
    more: ['谢谢！', '可以刷卡吗？', '订单号是 3317', '不好意思，再问一下'],
    answer: ['周六 10 点到 2 点营业。', '蓝色还有货，要帮您留一件吗？', '可以，请把新地址发给我。', '运费 30 港元，满 300 免运费。', '我帮您查一下物流。'],
  },
};

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Open in Hong Kong at t (the seed's own simple reading of `hours`). */
function isOpenAt(t: number): boolean {
  const local = new Date(t + hkOffset);
  const weekday = local.getUTCDay();
  const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
  if (weekday === 0) return false;
  if (weekday === 6) return minutes >= 600 && minutes < 840;
  return minutes >= 540 && minutes < 1080;
}

/** The next opening at or after t. */
function nextOpening(t: number): number {
  let at = Math.ceil(t / (15 * minute)) * 15 * minute;
  while (!isOpenAt(at)) at += 15 * minute;
  return at;
}

interface Planned {
  at: number;
  customer: number;
  direction: 'in' | 'out';
  text: string;
  type?: string;
  staff?: string;
  automatic?: 'greeting' | 'away';
  status?: 'sent' | 'delivered' | 'read' | 'failed';
  errorCode?: number;
  unread?: boolean;
}

const failures: Record<number, string> = {
  131026: 'Message undeliverable',
  131047: 'Re-engagement message',
  131049: 'This message was not delivered to maintain healthy ecosystem engagement.',
};

function plan(now: number, customers: number, rnd: () => number): Planned[] {
  const staff = ['demo-ava', 'demo-kenji'];
  const events: Planned[] = [];
  const pick = <T>(items: readonly T[]) => items[Math.floor(rnd() * items.length)]!;
  let answers = 0;
  for (let c = 0; c < customers; c++) {
    const words = c % 2 === 1 ? texts.zh : texts.en;
    const episodes = 2 + Math.floor(rnd() * 3);
    let t = now - 29 * day + Math.floor(rnd() * 6 * day);
    for (let e = 0; e < episodes && t < now - hour; e++) {
      // Customers write mostly between 08:00 and 22:00 Hong Kong time.
      const local = new Date(t + hkOffset);
      local.setUTCHours(8 + Math.floor(rnd() * 14), Math.floor(rnd() * 60), 0, 0);
      let at = local.getTime() - hkOffset;
      if (at >= now - hour) break;
      events.push({ at, customer: c, direction: 'in', text: pick(words.open) });
      if (e === 0) events.push({ at: at + 20_000, customer: c, direction: 'out', text: 'Welcome! We usually answer within the hour.', automatic: 'greeting', status: 'read' });
      else if (!isOpenAt(at)) events.push({ at: at + 20_000, customer: c, direction: 'out', text: 'We are closed now and will answer when we open.', automatic: 'away', status: 'delivered' });
      if (rnd() < 0.5) {
        at += (1 + Math.floor(rnd() * 6)) * minute;
        events.push({ at, customer: c, direction: 'in', text: pick(words.more) });
      }
      const answerAt = isOpenAt(at) ? at + (2 + Math.floor(rnd() * 40)) * minute : nextOpening(at) + (5 + Math.floor(rnd() * 25)) * minute;
      // The last customers' latest messages still wait for an answer (and are unread).
      const last = e === episodes - 1 && c >= customers - 2;
      if (answerAt >= now || last) {
        events.at(-1)!.unread = true;
        break;
      }
      answers++;
      const r = rnd();
      const status = r < 0.72 ? 'read' : r < 0.92 ? 'delivered' : 'sent';
      const failed = answers % 9 === 0 ? { status: 'failed' as const, errorCode: 131026 } : {};
      events.push({ at: answerAt, customer: c, direction: 'out', text: pick(words.answer), staff: staff[(c + e) % 2]!, status, ...failed });
      t = answerAt + (3 + Math.floor(rnd() * 5)) * day;
    }
  }
  // A follow-up two days after a customer's last message, past the 24-hour window: Meta refuses it.
  events.push({ at: now - 2 * day, customer: 0, direction: 'out', text: 'Your order is ready for pickup.', staff: 'demo-ava', status: 'failed', errorCode: 131047 });
  events.push({ at: now - 5 * day, customer: 3, direction: 'out', text: 'Spring sale: 20% off this weekend', type: 'template', staff: 'demo-kenji', status: 'failed', errorCode: 131049 });
  return events.sort((a, b) => a.at - b.at);
}

function write(archive: Archive, customers: ReadonlyArray<{ name: string; waId?: string; userId: string; username?: string }>, events: Planned[]) {
  const conversations = customers.map((person) => {
    const contact = archive.contacts.upsertByIdentity({ waId: person.waId ?? null, phone: person.waId ?? null, userId: person.userId, username: person.username ?? null, profileName: person.name });
    return archive.conversations.getOrCreateForContact(contact.id).conversation.id;
  });
  const failed: Array<{ messageId: number; code: number }> = [];
  archive.transaction(() => {
    events.forEach((e, i) => {
      const { id } = archive.messages.insert(
        {
          conversationId: conversations[e.customer]!,
          wamid: `wamid.demo-history.${i}`,
          direction: e.direction,
          type: e.type ?? 'text',
          text: e.text,
          payload: e.type === 'template' ? { name: 'spring_sale', language: { code: 'en' } } : { body: e.text },
          timestamp: e.at,
          receivedAt: e.at,
          ...(e.direction === 'out' ? { status: 'sent' as const, statusAt: e.at, senderStaffId: e.staff ?? null, automatic: e.automatic ?? null } : {}),
        },
        { countsAsUnread: e.unread ?? false },
      );
      if (e.status && e.status !== 'sent') {
        const code = e.errorCode ?? null;
        archive.statusEvents.applyDeliveryStatus(id, { status: e.status, at: e.at + 40_000, errorCode: code, errorTitle: code ? failures[code]! : null });
      }
      if (e.status === 'failed') failed.push({ messageId: id, code: e.errorCode! });
    });
  });
  return { conversations, failed };
}

registerTestControl('stats/seed-history', z.object({ seed: z.number().int().min(0).max(1_000_000).optional() }).strict(), ({ seed }, { core, ports }) => {
  const workspace = core.services.workspaces.current();
  const demo = core.services.demo();
  if (!workspace || !demo) throw new TestControlError('invalid_request', 'Open the demo workspace first', 409);
  const archive = workspace.archive;
  const now = ports.clock.now();
  automationStore(archive.db).addHoursVersion(hours, now - 60 * day);
  for (const [id, name] of [['demo-ava', 'Ava Chen'], ['demo-kenji', '黄健']] as const) if (!archive.staff.get(id)) archive.staff.create({ id, name, pinHash: null });
  const events = plan(now, demo.customers.customers.length, random(seed ?? 11));
  const { conversations, failed } = write(archive, demo.customers.customers, events);
  // Labels as a desk would have put them on.
  const labels = new Map(archive.labels.list().map((l) => [l.name, l.id]));
  const put = (name: string, customers: number[]) => {
    const id = labels.get(name);
    if (id !== undefined) archive.labels.assignToConversations(id, customers.map((c) => conversations[c]!).filter((c) => c !== undefined));
  };
  put('New customer', [1, 4, 7, 10]);
  put('New order', [0, 2, 5]);
  put('Paid', [0, 3, 6]);
  put('High-value customer', [3, 8]);
  ports.events.emit('conversations:changed', { ids: [] });
  return { messages: events.length, conversations: conversations.length, failed, timezone };
});
