/**
 * Simulated customers for the sandbox (issue 4 item 7): a seeded cast of twelve — English and Chinese
 * names and texts, three who show only a username and a BSUID (no phone number, REFERENCE §2.4). On the
 * injected clock they start chats, send images and documents now and then, reply to what the business
 * sends and react to it. Every message the business sends through the sandbox Graph gets its statuses —
 * sent → delivered → read after realistic delays, sometimes posted out of order or twice, `delivered`
 * skipped when read at once, reactions only `sent` — or `failed` with the error the sandbox recorded
 * (131047 outside the window). Same seed, same clock, same sends → the same webhooks, byte for byte.
 *
 * Wiring: pass `onSent` of the result to `startSandboxGraph({ onSent })` (through a closure, as the graph
 * starts first); a business message the hook missed is picked up from `graph.sent` on the next one.
 */
import { createHash } from 'node:crypto';
import type { ClockPort } from '../../ports';
import { createSandboxRandom, makeWamid } from '../graph-ids';
import type { SandboxRandom } from '../graph-ids';
import type { SandboxGraph, SandboxSentMessage } from '../graph-server';
import { samplePdf, samplePng } from './media-samples';
import { inboundMessageBody, signWebhook, statusBody } from './payloads';
import type { InboundContent, SignedWebhook, StatusOptions, WebhookPerson, WebhookTarget } from './payloads';

export type CustomerActKind = 'text' | 'image' | 'document' | 'reaction';

export interface SimulatedCustomer extends WebhookPerson {
  index: number;
  language: 'en' | 'zh';
}

export interface SimulatedCustomersOptions {
  clock: ClockPort;
  seed: number;
  graph: Pick<SandboxGraph, 'sent' | 'noteInbound' | 'media' | 'templates'>;
  /** Delivers one signed webhook (usually a poster's `post`). */
  post(webhook: SignedWebhook): void;
  appSecret: string;
  phoneNumberId: string;
  /** As the phone number shows it (`+1 555-010-0100`); the webhooks carry its digits. */
  displayPhoneNumber: string;
  wabaId?: string;
  /** Mean time between customers writing on their own; 0 = only when `act` is called. Default 4 minutes. */
  meanIntervalMs?: number;
}

export interface CustomerAction {
  customer: SimulatedCustomer;
  kind: CustomerActKind;
  wamid: string;
  at: number;
}

export interface SimulatedCustomers {
  readonly customers: readonly SimulatedCustomer[];
  /**
   * Makes a customer (seeded choice unless given) send something now. A reaction with nothing to react to
   * becomes a text. `text`: the words of a text message (tests that search for them), instead of the seeded ones.
   */
  act(kind?: CustomerActKind, customerIndex?: number, text?: string): CustomerAction;
  /** The sandbox Graph's `onSent` hook. */
  onSent(message: SandboxSentMessage): void;
  stop(): void;
}

interface Cast {
  name: string;
  language: 'en' | 'zh';
  country: string;
  /** Phone prefix and how many random digits follow; absent: username only, no phone. */
  phone?: [prefix: string, digits: number];
  username?: string;
}

const cast: readonly Cast[] = [
  { name: 'Sheena Nelson', language: 'en', country: 'US', phone: ['1555012', 4] },
  { name: '陈美玲', language: 'zh', country: 'HK', phone: ['8529', 7] },
  { name: 'Oliver Bennett', language: 'en', country: 'GB', phone: ['447700900', 3] },
  { name: '王志强', language: 'zh', country: 'TW', phone: ['8869', 8] },
  { name: 'Priya Raman', language: 'en', country: 'US', username: 'priya.raman' },
  { name: '李小华', language: 'zh', country: 'SG', phone: ['659', 7] },
  { name: 'Marcus Lee', language: 'en', country: 'US', phone: ['1555013', 4] },
  { name: '张伟', language: 'zh', country: 'HK', username: 'zhangwei88' },
  { name: 'Emma Clarke', language: 'en', country: 'GB', phone: ['447700900', 3], username: 'emmaclarke' },
  { name: '林嘉欣', language: 'zh', country: 'MY', phone: ['601', 8] },
  { name: 'Daniel Okafor', language: 'en', country: 'GB', username: 'dan.okafor' },
  { name: '黄俊杰', language: 'zh', country: 'SG', phone: ['658', 7] },
];

interface Texts {
  open: readonly string[];
  reply: readonly string[];
  caption: readonly string[];
  document: ReadonlyArray<{ filename: string; caption: string }>;
}

const texts: Record<'en' | 'zh', Texts> = {
  en: {
    open: [
      'Hi, are you open on Saturday?',
      'Do you have this in a size M?',
      "Hello! I'd like to book a table for 4 tonight.",
      'Can I change my delivery address?',
      'How much is shipping to Manchester?',
      'Is the blue one still in stock?',
      "Hi, my order hasn't arrived yet — can you check?",
    ],
    reply: ['Thanks!', 'Great, see you then 👍', 'Sorry, could you say that again?', 'Perfect, thank you so much', 'OK, what time do you close?', 'Can I pay by card?'],
    caption: ['Here’s the photo', 'This one', 'Is this the right one?'],
    document: [{ filename: 'receipt.pdf', caption: 'my receipt' }, { filename: 'order-2291.pdf', caption: 'Order details' }],
  },
  zh: {
    open: ['你好，请问周六营业吗？', '这个还有蓝色的吗？', '我想预订今晚四位的座位。', '请问可以改送货地址吗？', '寄到香港运费多少钱？', '你好！我上周买的东西还没收到。'],
    reply: ['谢谢！', '好的，到时见 😊', '不好意思，能再说一遍吗？', '太好了，非常感谢', '可以刷卡吗？', '请问几点关门？'],
    caption: ['就是这个', '照片在这里', '是这款吗？'],
    document: [{ filename: '收据.pdf', caption: '收据' }, { filename: '订单-3317.pdf', caption: '订单详情' }],
  },
};

const emojis = ['👍', '❤️', '😂', '🙏', '😮'];

const second = 1000;
const minute = 60 * second;

function pick<T>(random: SandboxRandom, items: readonly T[]): T {
  return items[random.int(items.length)] as T;
}

function between(random: SandboxRandom, min: number, max: number): number {
  return min + Math.floor(random.next() * (max - min));
}

const base64Sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

export function startSimulatedCustomers(options: SimulatedCustomersOptions): SimulatedCustomers {
  const { clock, graph } = options;
  const random = createSandboxRandom(options.seed ^ 0x5eed_c0de);
  const target: WebhookTarget = {
    wabaId: options.wabaId ?? '102290129340398',
    phoneNumberId: options.phoneNumberId,
    displayPhoneNumber: options.displayPhoneNumber.replace(/\D/g, ''),
  };
  const customers: SimulatedCustomer[] = cast.map((c, index) => ({
    index,
    name: c.name,
    language: c.language,
    ...(c.phone ? { waId: `${c.phone[0]}${random.digits(c.phone[1] + 1).slice(1)}` } : {}),
    userId: `${c.country}.${random.digits(19)}`,
    ...(c.username !== undefined ? { username: c.username } : {}),
  }));
  const strangers = new Map<string, WebhookPerson>();
  /** Per customer: the business messages they received (not failed), newest last. */
  const received = new Map<number, string[]>();
  const started = new Set<number>();
  const handled = new Set<string>();
  const timers = new Set<() => void>();
  let cursor = 0;
  let stopped = false;

  function later(ms: number, fn: () => void): void {
    const cancel = clock.setTimer(ms, () => {
      timers.delete(cancel);
      if (!stopped) fn();
    });
    timers.add(cancel);
  }

  const send = (body: Parameters<typeof signWebhook>[0]) => options.post(signWebhook(body, options.appSecret));

  function recipientOf(message: SandboxSentMessage): { person: WebhookPerson; customer?: SimulatedCustomer } {
    const customer = customers.find((c) => (message.waId !== undefined && c.waId === message.waId) || (message.userId !== undefined && c.userId === message.userId));
    if (customer) return { person: customer, customer };
    const key = message.waId ?? message.userId ?? message.input;
    let person = strangers.get(key);
    if (!person) {
      person = { name: key, ...(message.waId !== undefined ? { waId: message.waId } : {}), userId: message.userId ?? `US.${random.digits(19)}` };
      strangers.set(key, person);
    }
    return { person };
  }

  function pricingOf(message: SandboxSentMessage): NonNullable<StatusOptions['pricing']> {
    if (message.request.type !== 'template') return { billable: false, type: 'free_customer_service', category: 'service' };
    const { name, language } = message.request.template;
    const template = graph.templates.list().find((t) => t.name === name && t.language === language.code);
    return { billable: true, type: 'regular', category: (template?.category ?? 'utility').toLowerCase() };
  }

  /** Posts a status at `postAt` (maybe twice: Meta's at-least-once delivery). */
  function emitStatus(status: StatusOptions, postAt: number): void {
    const post = () => send(statusBody(target, status));
    const now = clock.now();
    later(Math.max(0, postAt - now), post);
    if (random.next() < 0.1) later(Math.max(0, postAt - now) + between(random, 1 * second, 60 * second), post);
  }

  function followSent(message: SandboxSentMessage): void {
    const { person, customer } = recipientOf(message);
    const base = { wamid: message.wamid, recipient: person, ...(message.clientId !== undefined ? { clientId: message.clientId } : {}) };
    if (message.failure) {
      const at = message.acceptedAt + between(random, 500, 2500);
      emitStatus({ ...base, status: 'failed', at, errors: [message.failure] }, at);
      return;
    }
    const pricing = pricingOf(message);
    const sentAt = message.acceptedAt + between(random, 300, 2000);
    if (message.type === 'reaction') {
      emitStatus({ ...base, status: 'sent', at: sentAt, pricing }, sentAt);
      return;
    }
    if (customer) received.set(customer.index, [...(received.get(customer.index) ?? []), message.wamid].slice(-20));
    const offline = random.next() < 0.15;
    const deliveredAt = sentAt + (offline ? between(random, 2 * minute, 30 * minute) : between(random, 500, 6 * second));
    const readsIt = random.next() < 0.8;
    const readAtOnce = readsIt && random.next() < 0.1;
    const readAt = readAtOnce ? deliveredAt : deliveredAt + between(random, 10 * second, 10 * minute);
    // Out of order now and then: `sent` arrives after `delivered`.
    const sentPostAt = random.next() < 0.15 ? deliveredAt + between(random, 200, 3 * second) : sentAt;
    emitStatus({ ...base, status: 'sent', at: sentAt, pricing }, sentPostAt);
    if (!readAtOnce) emitStatus({ ...base, status: 'delivered', at: deliveredAt, pricing }, deliveredAt);
    if (!readsIt) return;
    emitStatus({ ...base, status: 'read', at: readAt, ...(readAtOnce ? { pricing } : {}) }, readAt);
    if (!customer) return;
    // Having read it, the customer may answer: mostly words (sometimes quoting it), sometimes a reaction.
    const answers = random.next() < 0.55;
    if (!answers) return;
    const reacts = random.next() < 0.2;
    const quotes = random.next() < 0.3;
    later(readAt - clock.now() + between(random, 15 * second, 4 * minute), () => {
      if (reacts && message.type !== 'template') {
        inbound(customer, { type: 'reaction', messageId: message.wamid, emoji: pick(random, emojis) });
      } else {
        inbound(customer, { type: 'text', body: pick(random, texts[customer.language].reply) }, quotes ? message.wamid : undefined);
      }
    });
  }

  function catchUp(): void {
    for (; cursor < graph.sent.length; cursor++) {
      const message = graph.sent[cursor];
      if (!message || handled.has(message.wamid)) continue;
      handled.add(message.wamid);
      followSent(message);
    }
  }

  function inbound(customer: SimulatedCustomer, content: InboundContent, replyTo?: string): CustomerAction {
    const at = clock.now();
    const wamid = makeWamid(random, customer.waId ?? customer.userId);
    if (customer.waId !== undefined) graph.noteInbound(customer.waId, at);
    graph.noteInbound(customer.userId, at);
    started.add(customer.index);
    send(inboundMessageBody(target, customer, content, { wamid, at, ...(replyTo !== undefined ? { replyTo } : {}) }));
    return { customer, kind: content.type, wamid, at };
  }

  function compose(customer: SimulatedCustomer, kind: CustomerActKind): InboundContent {
    const words = texts[customer.language];
    switch (kind) {
      case 'text':
        return { type: 'text', body: pick(random, started.has(customer.index) && random.next() < 0.5 ? words.reply : words.open) };
      case 'image': {
        const bytes = samplePng([random.int(256), random.int(256), random.int(256)]);
        const caption = random.next() < 0.7 ? pick(random, words.caption) : undefined;
        const mediaId = graph.media.add(bytes, 'image/png');
        return { type: 'image', mediaId, mimeType: 'image/png', sha256: base64Sha256(bytes), ...(caption !== undefined ? { caption } : {}) };
      }
      case 'document': {
        const doc = pick(random, words.document);
        const bytes = samplePdf(`${customer.username ?? customer.waId ?? customer.userId} ${doc.filename}`);
        const mediaId = graph.media.add(bytes, 'application/pdf', doc.filename);
        return { type: 'document', mediaId, mimeType: 'application/pdf', sha256: base64Sha256(bytes), filename: doc.filename, caption: doc.caption };
      }
      case 'reaction': {
        const messageId = (received.get(customer.index) ?? []).at(-1);
        return messageId !== undefined ? { type: 'reaction', messageId, emoji: pick(random, emojis) } : compose(customer, 'text');
      }
    }
  }

  function act(kind?: CustomerActKind, customerIndex?: number, text?: string): CustomerAction {
    if (stopped) throw new Error('The simulated customers have stopped');
    catchUp();
    const customer = customers[customerIndex ?? random.int(customers.length)];
    if (!customer) throw new RangeError(`No customer ${customerIndex}`);
    const roll = random.next();
    const chosen: CustomerActKind = kind ?? (roll < 0.7 ? 'text' : roll < 0.82 ? 'image' : roll < 0.9 ? 'document' : 'reaction');
    if (chosen === 'text' && text !== undefined) return inbound(customer, { type: 'text', body: text });
    return inbound(customer, compose(customer, chosen));
  }

  const meanIntervalMs = options.meanIntervalMs ?? 4 * minute;
  function scheduleNext(): void {
    const delay = Math.max(5 * second, Math.round(-Math.log(1 - random.next()) * meanIntervalMs));
    later(delay, () => {
      act();
      scheduleNext();
    });
  }
  if (meanIntervalMs > 0) scheduleNext();

  return {
    customers,
    act,
    onSent(message) {
      if (stopped) return;
      catchUp();
      if (handled.has(message.wamid)) return;
      handled.add(message.wamid);
      followSent(message);
    },
    stop() {
      stopped = true;
      for (const cancel of timers) cancel();
      timers.clear();
    },
  };
}
