/**
 * Deterministic, realistic traffic for a small business's WhatsApp number: Chinese, English and mixed
 * messages, many contacts (some known only by a username, with no phone number), outbound statuses.
 * The same seed gives the same archive, in tests and benchmarks alike.
 */
import type { ContactIdentity, Direction, MessageStatus } from '../../electron/core/archive/types';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32: tiny, fast, good enough for test data (not for anything secret). */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (max) => Math.floor(next() * max),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

const englishFirst = ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'James', 'Sophia', 'Lucas', 'Mia', 'Ethan', 'Chloe', 'Daniel', 'Grace', 'Ryan', 'Zoe'];
const englishLast = ['Wilson', 'Smith', 'Brown', 'Taylor', 'Martin', 'Walker', 'Young', 'King', 'Wright', 'Scott', 'Green', 'Baker'];
const chineseFamily = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭'];
const chineseGiven = ['芳', '伟', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '晓燕', '志强', '丽华'];
const days = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'tomorrow', 'today'];
const times = ['9am', '10:30', 'noon', '2pm', '3:15', '5pm', 'the afternoon', 'the evening'];
const colours = ['red', 'blue', 'black', 'white', 'green', 'beige', 'navy'];
const products = ['jacket', 'dress', 'shoes', 'bag', 'scarf', 'watch', 'phone case', 'gift card', 'room', 'table for four', 'massage', 'haircut'];
const englishVocabulary = [
  'please', 'confirm', 'available', 'price', 'discount', 'receipt', 'parcel', 'address', 'courier', 'refund', 'exchange',
  'booking', 'reservation', 'schedule', 'quotation', 'warranty', 'pickup', 'tracking', 'number', 'urgent', 'weekend',
  'breakfast', 'checkout', 'transfer', 'airport', 'passport', 'visa', 'itinerary', 'deposit', 'balance', 'customer',
];
const chineseDays = ['明天', '后天', '周一', '周三', '周五', '周末', '今天下午', '下周'];
const chineseTimes = ['上午十点', '下午两点', '晚上七点', '中午', '九点半'];
const chineseVocabulary = [
  '价格', '优惠', '快递', '地址', '退款', '换货', '预约', '房间', '早餐', '机场', '接送', '护照', '签证', '行程', '定金',
  '尾款', '客户', '质量', '尺码', '颜色', '库存', '发票', '收据', '折扣', '会员', '积分', '包装', '礼物', '生日', '服务',
];

function orderNumber(rng: Rng): string {
  return String(10000 + rng.int(90000));
}

const englishTemplates: Array<(rng: Rng) => string> = [
  (r) => `Hi, is my order ${orderNumber(r)} ready for delivery?`,
  (r) => `Your delivery is scheduled for ${r.pick(days)} around ${r.pick(times)}.`,
  (r) => `Thanks! I will pick it up ${r.pick(days)}.`,
  (r) => `Can I book an appointment for ${r.pick(days)} at ${r.pick(times)}?`,
  (r) => `The invoice for order ${orderNumber(r)} has been sent to your email.`,
  (r) => `Do you have the ${r.pick(products)} in ${r.pick(colours)}?`,
  () => 'Payment received, thank you for shopping with us.',
  (r) => `Sorry, we are closed ${r.pick(days)}. We open at ${r.pick(times)}.`,
  (r) => `Your parcel was delivered at ${r.pick(times)}. Tracking number ${orderNumber(r)}${orderNumber(r)}.`,
  (r) => `Is the ${r.pick(products)} still available? What is the price?`,
  (r) => `Your appointment is confirmed for ${r.pick(days)} at ${r.pick(times)}. See you then!`,
  (r) => {
    const n = 4 + r.int(10);
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(r.pick(englishVocabulary));
    return `${words.join(' ')}.`;
  },
];

const chineseTemplates: Array<(rng: Rng) => string> = [
  (r) => `您的订单已发货，预计${r.pick(chineseDays)}送达。`,
  () => '请问什么时候发货？',
  (r) => `我想预约${r.pick(chineseDays)}${r.pick(chineseTimes)}的时间。`,
  () => '价格是多少？有没有优惠？',
  () => '谢谢，已经收到付款。',
  (r) => `我们${r.pick(chineseDays)}${r.pick(chineseTimes)}开门，欢迎光临！`,
  () => '请把发票发到我的邮箱。',
  (r) => `这个${r.pick(chineseVocabulary)}还有货吗？`,
  (r) => `订单${orderNumber(r)}的快递单号是多少？`,
  (r) => {
    const n = 3 + r.int(8);
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(r.pick(chineseVocabulary));
    return `${words.join('')}。`;
  },
];

const mixedTemplates: Array<(rng: Rng) => string> = [
  (r) => `您好，order ${orderNumber(r)} 已经 ready 了，${r.pick(chineseDays)}可以来取。`,
  (r) => `Hello 王先生, your 预约 is on ${r.pick(days)}.`,
  (r) => `delivery 地址 confirmed: ${r.pick(chineseVocabulary)} ${r.pick(englishVocabulary)}`,
];

export interface GeneratedContact {
  identity: ContactIdentity;
  savedName: string | null;
}

export function generateContacts(rng: Rng, count: number): GeneratedContact[] {
  const contacts: GeneratedContact[] = [];
  for (let i = 0; i < count; i++) {
    const chinese = rng.chance(0.55);
    const profileName = chinese ? rng.pick(chineseFamily) + rng.pick(chineseGiven) : `${rng.pick(englishFirst)} ${rng.pick(englishLast)}`;
    const country = chinese ? 'CN' : rng.pick(['US', 'GB', 'SG', 'AU']);
    const userId = `${country}.${(1_000_000_000_000 + i * 7919 + rng.int(7919)).toString()}${i}`;
    // About one customer in seven uses a username and has never shared a number with this business.
    const usernameOnly = rng.chance(0.15);
    const digits = `${chinese ? '86' : rng.pick(['1', '44', '65', '61'])}${String(130_000_000 + i * 97 + rng.int(97)).padStart(9, '0')}`;
    contacts.push({
      identity: {
        userId,
        waId: usernameOnly ? null : digits,
        phone: usernameOnly ? null : digits,
        username: usernameOnly || rng.chance(0.1) ? `${profileName.replace(/\s/g, '').toLowerCase()}_${i}` : null,
        profileName,
      },
      savedName: rng.chance(0.3) ? `${profileName} (${rng.pick(['VIP', 'regular', 'new', '老客户', '供应商'])})` : null,
    });
  }
  return contacts;
}

export interface GeneratedMessage {
  /** Index into the contacts array. */
  contact: number;
  wamid: string;
  direction: Direction;
  type: 'text' | 'image' | 'document' | 'audio' | 'location' | 'sticker';
  text: string | null;
  caption: string | null;
  status: MessageStatus | null;
  staffId: string | null;
  automatic: 'greeting' | 'away' | null;
  timestamp: number;
}

export const staffIds = ['staff-anna', 'staff-wei', 'staff-tom', 'staff-mei'];

function messageText(rng: Rng): string {
  const roll = rng.next();
  if (roll < 0.45) return rng.pick(englishTemplates)(rng);
  if (roll < 0.9) return rng.pick(chineseTemplates)(rng);
  return rng.pick(mixedTemplates)(rng);
}

/** `count` messages in time order (about 45 s apart), spread unevenly over the contacts as real traffic is. */
export function* generateMessages(rng: Rng, options: { count: number; contacts: number; start?: number; seed?: number }): Generator<GeneratedMessage> {
  let timestamp = options.start ?? Date.UTC(2024, 0, 1, 8, 0, 0);
  const tag = (options.seed ?? 0).toString(36);
  for (let i = 0; i < options.count; i++) {
    timestamp += 5_000 + rng.int(80_000);
    // Squaring skews toward low indexes: a few regulars write a lot, most customers a little.
    const contact = Math.floor(rng.next() ** 2 * options.contacts);
    const direction: Direction = rng.chance(0.55) ? 'in' : 'out';
    const kind = rng.next();
    const type = kind < 0.86 ? 'text' : kind < 0.93 ? 'image' : kind < 0.96 ? 'document' : kind < 0.98 ? 'audio' : kind < 0.99 ? 'location' : 'sticker';
    const body = type === 'text' ? messageText(rng) : null;
    const caption = (type === 'image' || type === 'document') && rng.chance(0.6) ? messageText(rng) : null;
    const automatic = direction === 'out' && rng.chance(0.03) ? rng.pick(['greeting', 'away'] as const) : null;
    const statusRoll = rng.next();
    const status: MessageStatus | null =
      direction === 'in' ? null : statusRoll < 0.5 ? 'read' : statusRoll < 0.8 ? 'delivered' : statusRoll < 0.95 ? 'sent' : 'failed';
    yield {
      contact,
      wamid: `wamid.HBgL${tag}${i.toString(36).padStart(8, '0')}`,
      direction,
      type,
      text: body,
      caption,
      status,
      staffId: direction === 'out' && !automatic ? rng.pick(staffIds) : null,
      automatic,
      timestamp,
    };
  }
}
