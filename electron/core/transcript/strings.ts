/**
 * The transcript's words in the two languages the app ships (DESIGN: English and Simplified Chinese). The
 * file is read outside the app, so it carries its own text rather than the renderer's i18n.
 */
export const transcriptLocales = ['en', 'zh-CN'] as const;
export type TranscriptLocale = (typeof transcriptLocales)[number];

export interface TranscriptStrings {
  documentTitle: string;
  conversationWith: (name: string) => string;
  groupConversation: (id: string) => string;
  business: (name: string) => string;
  range: (from: string, to: string) => string;
  rangeFrom: (from: string) => string;
  rangeTo: (to: string) => string;
  allMessages: string;
  exportedAt: (time: string) => string;
  timezone: (zone: string) => string;
  messageCount: (n: number) => string;
  noMessages: string;
  customer: string;
  staff: string;
  businessSender: string;
  automatic: { greeting: string; away: string };
  replyingTo: string;
  quotedUnavailable: string;
  deleted: string;
  edited: (time: string) => string;
  statuses: Record<string, string>;
  failed: (reason: string) => string;
  reactions: string;
  media: {
    pending: string;
    failed: string;
    expired: string;
    missing: string;
    damaged: string;
    tooLarge: string;
    download: string;
    file: string;
  };
  types: Record<string, string>;
  openMap: string;
  coordinates: (lat: string, lon: string) => string;
  template: (name: string) => string;
  chose: (title: string) => string;
  tapped: (title: string) => string;
  unsupported: (type: string) => string;
  footer: string;
}

const en: TranscriptStrings = {
  documentTitle: 'Conversation transcript',
  conversationWith: (name) => `Conversation with ${name}`,
  groupConversation: (id) => `Group conversation ${id}`,
  business: (name) => `Business: ${name}`,
  range: (from, to) => `From ${from} to ${to}`,
  rangeFrom: (from) => `From ${from}`,
  rangeTo: (to) => `Up to ${to}`,
  allMessages: 'All messages',
  exportedAt: (time) => `Exported ${time}`,
  timezone: (zone) => `Times in ${zone}`,
  messageCount: (n) => (n === 1 ? '1 message' : `${n} messages`),
  noMessages: 'No messages in this range.',
  customer: 'Customer',
  staff: 'Staff member',
  businessSender: 'Business',
  automatic: { greeting: 'Automatic reply (greeting)', away: 'Automatic reply (away)' },
  replyingTo: 'Replying to',
  quotedUnavailable: 'The original message is not available.',
  deleted: 'This message was deleted.',
  edited: (time) => `Edited ${time}`,
  statuses: {
    pending: 'Queued',
    sent: 'Sent',
    delivered: 'Delivered',
    read: 'Read',
    played: 'Played',
    failed: 'Not delivered',
    unknown: 'Sending (outcome unknown)',
    not_confirmed: 'Not confirmed',
  },
  failed: (reason) => `Not delivered: ${reason}`,
  reactions: 'Reactions',
  media: {
    pending: 'The file was not downloaded.',
    failed: 'The file could not be downloaded.',
    expired: 'The file expired before it was downloaded.',
    missing: 'No file.',
    damaged: 'The stored file is damaged.',
    tooLarge: 'Too large to include in this file.',
    download: 'Save',
    file: 'File',
  },
  types: {
    image: 'Photo',
    video: 'Video',
    audio: 'Audio',
    voice: 'Voice message',
    document: 'Document',
    sticker: 'Sticker',
    location: 'Location',
    contacts: 'Contact card',
    interactive: 'Interactive message',
    button: 'Button reply',
    template: 'Template',
    order: 'Order',
    system: 'System message',
    reaction: 'Reaction',
  },
  openMap: 'Open map',
  coordinates: (lat, lon) => `${lat}, ${lon}`,
  template: (name) => `Template “${name}”`,
  chose: (title) => `Chose: ${title}`,
  tapped: (title) => `Tapped: ${title}`,
  unsupported: (type) => `Unsupported message (${type})`,
  footer: 'Exported from Frontdesk. This file contains personal data: store and share it with care.',
};

const zhCN: TranscriptStrings = {
  documentTitle: '对话记录',
  conversationWith: (name) => `与 ${name} 的对话`,
  groupConversation: (id) => `群组对话 ${id}`,
  business: (name) => `商家：${name}`,
  range: (from, to) => `${from} 至 ${to}`,
  rangeFrom: (from) => `自 ${from} 起`,
  rangeTo: (to) => `截至 ${to}`,
  allMessages: '全部消息',
  exportedAt: (time) => `导出时间：${time}`,
  timezone: (zone) => `时区：${zone}`,
  messageCount: (n) => `共 ${n} 条消息`,
  noMessages: '此时间范围内没有消息。',
  customer: '客户',
  staff: '员工',
  businessSender: '商家',
  automatic: { greeting: '自动回复（问候语）', away: '自动回复（离开消息）' },
  replyingTo: '回复',
  quotedUnavailable: '原消息不可用。',
  deleted: '此消息已删除。',
  edited: (time) => `已于 ${time} 编辑`,
  statuses: {
    pending: '排队中',
    sent: '已发送',
    delivered: '已送达',
    read: '已读',
    played: '已播放',
    failed: '未送达',
    unknown: '发送中（结果未知）',
    not_confirmed: '未确认',
  },
  failed: (reason) => `未送达：${reason}`,
  reactions: '表情回应',
  media: {
    pending: '文件未下载。',
    failed: '文件无法下载。',
    expired: '文件在下载前已过期。',
    missing: '无文件。',
    damaged: '存储的文件已损坏。',
    tooLarge: '文件过大，未包含在此文件中。',
    download: '保存',
    file: '文件',
  },
  types: {
    image: '图片',
    video: '视频',
    audio: '音频',
    voice: '语音消息',
    document: '文档',
    sticker: '贴图',
    location: '位置',
    contacts: '联系人名片',
    interactive: '互动消息',
    button: '按钮回复',
    template: '模板',
    order: '订单',
    system: '系统消息',
    reaction: '表情回应',
  },
  openMap: '打开地图',
  coordinates: (lat, lon) => `${lat}，${lon}`,
  template: (name) => `模板“${name}”`,
  chose: (title) => `已选择：${title}`,
  tapped: (title) => `已点击：${title}`,
  unsupported: (type) => `不支持的消息（${type}）`,
  footer: '由 Frontdesk 导出。此文件包含个人数据，请谨慎保存和分享。',
};

export function transcriptStrings(locale: TranscriptLocale): TranscriptStrings {
  return locale === 'zh-CN' ? zhCN : en;
}

/** The BCP 47 tag for Intl formatting and the document's `lang`. */
export function htmlLang(locale: TranscriptLocale): string {
  return locale === 'zh-CN' ? 'zh-CN' : 'en';
}
