/**
 * Every inbound fixture (`webhook-*.json`, `status-*.json` in ../shared/cloud-api/fixtures, Meta's own
 * examples) replayed through the processor into a real archive, and what it wrote checked field by field.
 */
import { expect, it } from 'vitest';
import type { Archive } from '../../../electron/core/archive/connection';
import { readInboundHealth } from '../../../electron/core/cloud/inbound-processor';
import type { ProcessCounts } from '../../../electron/core/cloud/inbound-processor';
import type { Json } from './inbound-support';
import { createHarness, describeWithFixtures, firstMessage, firstStatus, fixture, fixtureBytes, inboundFixtureNames, rows } from './inbound-support';

type Harness = ReturnType<typeof createHarness>;

const sheena: Record<string, string | null> = { userId: null, waId: '16505551234', phone: '16505551234', username: null, profileName: 'Sheena Nelson' };
const s = (seconds: number) => seconds * 1000;

/** The stored inbound message of a one-message fixture, checked against the fixture and `expected`. */
function expectInbound(
  h: Harness,
  name: string,
  expected: {
    type: string;
    text?: string | null;
    caption?: string | null;
    replyTo?: string | null;
    errorCode?: number | null;
    errorTitle?: string | null;
    contact?: Record<string, string | null>;
    media?: { metaMediaId: string; mime: string; sha256: string; fileName?: string | null; url: string | null };
    searchFor?: string;
  },
) {
  const source = firstMessage(fixture(name));
  const message = h.archive.messages.getByWamid(source.id)!;
  expect(message).toBeDefined();
  expect(message).toMatchObject({
    wamid: source.id,
    clientId: null,
    direction: 'in',
    type: expected.type,
    text: expected.text ?? null,
    caption: expected.caption ?? null,
    replyToWamid: expected.replyTo ?? null,
    status: null,
    errorCode: expected.errorCode ?? null,
    errorTitle: expected.errorTitle ?? null,
    timestamp: s(Number(source.timestamp)),
    editedAt: null,
    revokedAt: null,
    isGroup: false,
    groupId: null,
  });
  // The original message object is kept whole.
  expect(JSON.parse(message.payloadJson!)).toEqual(source);

  const conversation = h.archive.conversations.get(message.conversationId)!;
  const contact = h.archive.contacts.get(conversation.contactId!)!;
  expect(contact).toMatchObject({ ...sheena, ...expected.contact });
  expect(conversation).toMatchObject({ groupId: null, unreadCount: 1, lastInboundAt: message.timestamp, lastActivityAt: message.timestamp, lastMessageId: message.id });

  if (expected.media) {
    const media = h.archive.media.get(message.mediaId!)!;
    expect(media).toMatchObject({ state: 'pending', metaMediaId: expected.media.metaMediaId, mime: expected.media.mime, sha256: expected.media.sha256, fileName: expected.media.fileName ?? null });
    expect(h.media).toEqual([{ mediaId: media.id, messageId: message.id, metaMediaId: expected.media.metaMediaId, mime: expected.media.mime, sha256: expected.media.sha256, url: expected.media.url }]);
  } else {
    expect(message.mediaId).toBeNull();
    expect(h.media).toEqual([]);
  }
  if (expected.searchFor) {
    const hits = h.archive.search.searchMessages({ text: expected.searchFor }).items;
    expect(hits.map((hit) => hit.messageId)).toEqual([message.id]);
  }
  expect(h.eventsNamed('messages:received')).toEqual([
    { conversationId: conversation.id, messageId: message.id, contactId: contact.id, groupId: null, type: expected.type, timestamp: message.timestamp },
  ]);
  return { message, conversation, contact };
}

/** A message the outbox would have stored before sending: the status fixtures' wamids belong to these. */
function storeOutbound(archive: Archive, wamid: string, identity: { waId?: string; userId?: string }) {
  const contactId = archive.contacts.upsertByIdentity({ ...identity, phone: identity.waId ?? null }, 'manual').id;
  const conversationId = archive.conversations.getOrCreateForContact(contactId).conversation.id;
  return archive.messages.insert({ conversationId, wamid, clientId: 'client-1', direction: 'out', type: 'text', text: 'Our offer', status: 'pending', timestamp: s(1750030000) }).id;
}

/** A status fixture: kept as an orphan first, then applied when its message is stored. */
function expectStatus(h: Harness, name: string, expected: { status: string; errorCode?: number; errorTitle?: string; recipient: { waId?: string; userId?: string } }) {
  const source = firstStatus(fixture(name));
  const [event] = h.archive.statusEvents.forWamid(source.id);
  expect(event).toMatchObject({
    wamid: source.id,
    status: expected.status,
    timestamp: s(Number(source.timestamp)),
    clientId: null,
    errorCode: expected.errorCode ?? null,
    errorTitle: expected.errorTitle ?? null,
    applied: false,
  });
  expect(JSON.parse(event!.rawJson)).toEqual(source);
  expect(h.eventsNamed('messages:status')).toEqual([]);

  const messageId = storeOutbound(h.archive, source.id, expected.recipient);
  expect(h.processor.applyPendingFor(messageId)).toBe(1);
  expect(h.archive.messages.get(messageId)).toMatchObject({
    status: expected.status,
    statusAt: s(Number(source.timestamp)),
    errorCode: expected.errorCode ?? null,
    errorTitle: expected.errorTitle ?? null,
  });
  expect(h.archive.statusEvents.forWamid(source.id)[0]!.applied).toBe(true);
  expect(h.eventsNamed('messages:status')).toEqual([
    expect.objectContaining({ messageId, clientId: 'client-1', status: expected.status, statusAt: s(Number(source.timestamp)) }),
  ]);
}

function expectTemplate(h: Harness, expected: Record<string, unknown>) {
  const templates = h.archive.templates.list();
  expect(templates).toHaveLength(1);
  expect(templates[0]).toMatchObject({ componentsJson: '[]', syncedAt: null, subCategory: null, parameterFormat: null, ...expected });
  expect(h.eventsNamed('templates:changed')).toEqual([expect.objectContaining({ templateId: templates[0]!.id, metaId: expected.metaId })]);
}

const none: Partial<ProcessCounts> = {};
const expectations: Record<string, { counts: Partial<ProcessCounts>; check: (h: Harness) => void }> = {
  'webhook-text.json': {
    counts: { messages: 1 },
    check: (h) => expectInbound(h, 'webhook-text.json', { type: 'text', text: 'Does it come in another color?', searchFor: 'color' }),
  },
  'webhook-messages-overview-incoming.json': {
    counts: { messages: 1 },
    check: (h) => expectInbound(h, 'webhook-messages-overview-incoming.json', { type: 'text', text: 'Does it come in another color?', searchFor: 'another' }),
  },
  'webhook-text-click-to-whatsapp-ad-referral.json': {
    counts: { messages: 1 },
    check: (h) => {
      const { message } = expectInbound(h, 'webhook-text-click-to-whatsapp-ad-referral.json', { type: 'text', text: 'Can I get more info about this?', searchFor: 'info' });
      expect(JSON.parse(message.payloadJson!).referral).toMatchObject({ source_type: 'ad', source_id: '120226305854810726', headline: 'Chat with us' });
    },
  },
  'webhook-text-message-business-button-referred-product.json': {
    counts: { messages: 1 },
    check: (h) => {
      const { message } = expectInbound(h, 'webhook-text-message-business-button-referred-product.json', {
        type: 'text',
        text: 'Is this still available?',
        replyTo: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGA9wcm9kdWN0X2lucXVpcnkA',
        searchFor: 'available',
      });
      expect(JSON.parse(message.payloadJson!).context.referred_product).toEqual({ catalog_id: '194836987003835', product_retailer_id: 'di9ozbzfi4' });
    },
  },
  'webhook-text-username-bsuid-no-phone.json': {
    counts: { messages: 1 },
    check: (h) => {
      const { contact } = expectInbound(h, 'webhook-text-username-bsuid-no-phone.json', {
        type: 'text',
        text: 'Does it come in another color?',
        contact: { userId: 'US.13491208655302741918', waId: null, phone: null, username: 'realsheenanelson', profileName: 'Sheena Nelson' },
      });
      expect(contact.parentUserId).toBe('US.ENT.11815799212886844830');
    },
  },
  'webhook-image.json': {
    counts: { messages: 1 },
    check: (h) =>
      expectInbound(h, 'webhook-image.json', {
        type: 'image',
        caption: 'Taj Mahal',
        searchFor: 'Taj',
        media: {
          metaMediaId: '1003383421387256',
          mime: 'image/jpeg',
          sha256: 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=',
          url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...',
        },
      }),
  },
  'webhook-video.json': {
    counts: { messages: 1 },
    check: (h) =>
      expectInbound(h, 'webhook-video.json', {
        type: 'video',
        caption: 'Timelapse of growth',
        searchFor: 'Timelapse',
        media: {
          metaMediaId: '731675419373506',
          mime: 'video/mp4',
          sha256: 'vdGU5X4caz12KwFgYwpljlUNqMt1YnkH+5GkPc3mMnc=',
          url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...',
        },
      }),
  },
  'webhook-audio-voice.json': {
    counts: { messages: 1 },
    check: (h) => {
      const { message } = expectInbound(h, 'webhook-audio-voice.json', {
        type: 'audio',
        media: {
          metaMediaId: '1908647269898587',
          mime: 'audio/ogg; codecs=opus',
          sha256: 'wvqXMe6n7n1W0zphvLPoLj+s/NtKqmr3zZ7YzTP7xFI=',
          url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...',
        },
      });
      // A voice note: the renderer plays it as one.
      expect(JSON.parse(message.payloadJson!).audio.voice).toBe(true);
    },
  },
  'webhook-document.json': {
    counts: { messages: 1 },
    check: (h) =>
      expectInbound(h, 'webhook-document.json', {
        type: 'document',
        caption: 'my receipt',
        searchFor: 'receipt',
        media: {
          metaMediaId: '622684793477189',
          mime: 'application/pdf',
          sha256: 'V5OPpLD/gEG6Xjg0MbmQDLFgcKsL+j5LfY4ny/pZ4MY=',
          fileName: 'receipt.pdf',
          url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...',
        },
      }),
  },
  'webhook-sticker.json': {
    counts: { messages: 1 },
    check: (h) => {
      const { message } = expectInbound(h, 'webhook-sticker.json', {
        type: 'sticker',
        media: {
          metaMediaId: '1908647269898587',
          mime: 'image/webp',
          sha256: 'wvqXMe6n7n1W0zphvLPoLj+s/NtKqmr3zZ7YzTP7xFI=',
          url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...',
        },
      });
      expect(JSON.parse(message.payloadJson!).sticker.animated).toBe(true);
    },
  },
  'webhook-location.json': {
    counts: { messages: 1 },
    check: (h) => {
      const { message } = expectInbound(h, 'webhook-location.json', { type: 'location', text: 'Philz Coffee\n101 Forest Ave, Palo Alto, CA 94301', searchFor: 'Philz' });
      expect(JSON.parse(message.payloadJson!).location).toMatchObject({ latitude: 37.44221496582, longitude: -122.16165924072, url: 'https://philzcoffee.com/' });
    },
  },
  'webhook-contacts.json': {
    counts: { messages: 1 },
    check: (h) => {
      const { message } = expectInbound(h, 'webhook-contacts.json', { type: 'contacts', text: 'Barbara J. Johnson', searchFor: 'Barbara' });
      expect(JSON.parse(message.payloadJson!).contacts[0].phones[0]).toEqual({ phone: '+1 (415) 555-0829', wa_id: '14125550829', type: 'MOBILE' });
      // A shared contact card is content, not a contact of the business.
      expect(h.archive.contacts.findByIdentity({ waId: '14125550829' })).toBeUndefined();
    },
  },
  'webhook-interactive-button-reply.json': {
    counts: { messages: 1 },
    check: (h) => {
      const { message } = expectInbound(h, 'webhook-interactive-button-reply.json', {
        type: 'interactive',
        text: 'Cancel',
        replyTo: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MEM2RUJFNkI0RENGQTVDRjUA',
        searchFor: 'Cancel',
      });
      expect(JSON.parse(message.payloadJson!).interactive.button_reply).toEqual({ id: 'cancel-button', title: 'Cancel' });
    },
  },
  'webhook-interactive-list-reply.json': {
    counts: { messages: 1 },
    check: (h) => {
      const { message } = expectInbound(h, 'webhook-interactive-list-reply.json', {
        type: 'interactive',
        text: 'Priority Mail Express\nNext Day to 2 Days',
        replyTo: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
        searchFor: 'Express',
      });
      expect(JSON.parse(message.payloadJson!).interactive.list_reply.id).toBe('priority_express');
    },
  },
  'webhook-button-template-quick-reply.json': {
    counts: { messages: 1 },
    check: (h) => {
      const { message } = expectInbound(h, 'webhook-button-template-quick-reply.json', {
        type: 'button',
        text: 'Unsubscribe',
        replyTo: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
        searchFor: 'Unsubscribe',
      });
      expect(JSON.parse(message.payloadJson!).button.payload).toBe('Unsubscribe');
    },
  },
  'webhook-order.json': {
    counts: { messages: 1 },
    check: (h) => {
      const { message } = expectInbound(h, 'webhook-order.json', { type: 'order', text: 'Love these!', searchFor: 'Love' });
      expect(JSON.parse(message.payloadJson!).order.product_items).toHaveLength(2);
    },
  },
  'webhook-unsupported-131051.json': {
    counts: { messages: 1 },
    check: (h) => {
      const { message } = expectInbound(h, 'webhook-unsupported-131051.json', { type: 'unsupported', errorCode: 131051, errorTitle: 'Message type unknown' });
      // Shown as "unsupported (edit)", never dropped.
      expect(JSON.parse(message.payloadJson!).unsupported).toEqual({ type: 'edit' });
    },
  },
  'webhook-group-text.json': {
    counts: { messages: 1 },
    check: (h) => {
      const source = firstMessage(fixture('webhook-group-text.json'));
      const message = h.archive.messages.getByWamid('wamid.HASDI128HJOPUERIH82ahdasd09ASDHi5>')!;
      expect(message).toMatchObject({
        direction: 'in',
        type: 'text',
        text: 'What does everyone think about this?',
        isGroup: true,
        groupId: 'HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA',
        timestamp: s(1744344496),
      });
      expect(JSON.parse(message.payloadJson!)).toEqual(source);
      const conversation = h.archive.conversations.get(message.conversationId)!;
      expect(conversation).toMatchObject({ contactId: null, groupId: 'HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA', unreadCount: 1 });
      // The author is a contact; the group has its own, read-only conversation.
      expect(h.archive.contacts.get(message.authorContactId!)).toMatchObject({ waId: '16505551234', profileName: 'Tiago Mingo' });
      expect(h.archive.conversations.forContact(message.authorContactId!)).toBeUndefined();
      expect(h.processor.windowState(conversation)).toEqual({ state: 'read_only' });
      expect(h.eventsNamed('messages:received')).toEqual([expect.objectContaining({ contactId: null, groupId: conversation.groupId })]);
    },
  },
  'webhook-system-user-changed-number.json': {
    counts: { messages: 1 },
    check: (h) => {
      const message = h.archive.messages.getByWamid('wamid.HBgLMTk4MzU1NTE5NzQVAgASGAoxMTgyMDg2MjY3AA==')!;
      expect(message).toMatchObject({ direction: 'in', type: 'system', text: 'User Sheena Nelson changed from 16505551234 to 12195555358', timestamp: s(1750269342) });
      const conversation = h.archive.conversations.get(message.conversationId)!;
      // A notice, not a message to answer.
      expect(conversation.unreadCount).toBe(0);
      const contact = h.archive.contacts.get(conversation.contactId!)!;
      expect(contact).toMatchObject({ waId: '12195555358', phone: '12195555358' });
      // The old number still finds the person.
      expect(h.archive.contacts.findByIdentity({ waId: '16505551234' })?.id).toBe(contact.id);
      expect(h.eventsNamed('contacts:changed')).toEqual([{ contactId: contact.id, mergedIds: [], reason: 'number_change' }]);
    },
  },
  'webhook-reaction.json': {
    counts: { reactions: 1 },
    check: (h) => {
      const target = 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=';
      const reactor = h.archive.contacts.findByIdentity({ waId: '16505551234' })!;
      expect(reactor).toMatchObject(sheena);
      expect(h.archive.reactions.forMessage(target)).toEqual([
        expect.objectContaining({ reactorContactId: reactor.id, emoji: '👍', timestamp: s(1749419544), wamid: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=' }),
      ]);
      // A reaction is not a message of its own.
      expect(h.archive.messages.getByWamid('wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=')).toBeUndefined();
      expect(h.eventsNamed('messages:reaction')).toEqual([{ messageWamid: target, messageId: null, conversationId: null, reactorContactId: reactor.id, emoji: '👍' }]);
    },
  },
  'webhook-reaction-removed.json': {
    counts: { reactions: 1 },
    check: (h) => {
      const target = 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=';
      const reactor = h.archive.contacts.findByIdentity({ waId: '16505551234' })!;
      expect(h.archive.reactions.forMessage(target)).toEqual([]);
      // The removal is kept, so an older reaction arriving late cannot come back.
      expect(h.archive.reactions.get(target, reactor.id)).toMatchObject({ emoji: null, timestamp: s(1749419544) });
    },
  },
  'webhook-edit.json': {
    counts: { edits: 1 },
    check: (h) => {
      const target = 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=';
      const [event] = h.archive.statusEvents.forWamid(target);
      expect(event).toMatchObject({ status: 'edit', timestamp: s(1749854575), applied: false });
      expect(JSON.parse(event!.rawJson)).toEqual(firstMessage(fixture('webhook-edit.json')));
      expect(h.archive.messages.getByWamid('wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=')).toBeUndefined();
    },
  },
  'webhook-revoke.json': {
    counts: { revokes: 1 },
    check: (h) => {
      const [event] = h.archive.statusEvents.forWamid('wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=');
      expect(event).toMatchObject({ status: 'revoke', timestamp: s(1749854575), applied: false });
    },
  },
  'webhook-user-preferences.json': {
    counts: { preferences: 1 },
    check: (h) => {
      const contact = h.archive.contacts.findByIdentity({ waId: '16505551234' })!;
      expect(contact).toMatchObject({ waId: '16505551234', phone: '16505551234', marketingOptOut: false, marketingOptOutAt: s(1731705721) });
      expect(h.eventsNamed('contacts:changed')).toEqual([{ contactId: contact.id, mergedIds: [], reason: 'marketing_preference' }]);
      expect(h.archive.conversations.forContact(contact.id)).toBeUndefined();
    },
  },
  'webhook-errors-130429.json': {
    counts: { health: 1 },
    check: (h) => {
      const notice = {
        code: 130429,
        title: 'Rate limit hit',
        details: 'Message failed to send because there were too many messages sent from this phone number in a short period of time',
        at: h.clock.now(),
      };
      expect(readInboundHealth(h.archive.settings).webhookErrors).toEqual([notice]);
      expect(h.eventsNamed('health:webhook-error')).toEqual([notice]);
    },
  },
  'webhook-account-alerts.json': {
    counts: { health: 1 },
    check: (h) => {
      const notice = {
        entityType: 'BUSINESS',
        entityId: '506914307656634',
        type: 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED',
        severity: 'WARNING',
        status: 'ACTIVE',
        description: valueOfFixture('webhook-account-alerts.json').alert_info.alert_description,
        at: s(1745612159),
      };
      expect(readInboundHealth(h.archive.settings).accountAlerts).toEqual([notice]);
      expect(h.eventsNamed('health:account-alert')).toEqual([notice]);
    },
  },
  'webhook-phone-number-quality-update.json': {
    counts: { health: 1 },
    check: (h) => {
      const notice = { displayPhoneNumber: '15550783881', event: 'THROUGHPUT_UPGRADE', currentLimit: 'TIER_UNLIMITED', oldLimit: null, maxDailyConversations: null, at: s(1748454394) };
      expect(readInboundHealth(h.archive.settings).phoneQuality).toEqual(notice);
      expect(h.eventsNamed('health:phone-quality')).toEqual([notice]);
    },
  },
  'webhook-template-status-approved.json': {
    counts: { templates: 1 },
    check: (h) => expectTemplate(h, { metaId: '1689556908129832', name: 'order_confirmation', language: 'en_US', status: 'APPROVED', category: 'UTILITY', quality: null, rejectionReason: null }),
  },
  'webhook-template-status-rejected-invalid-format.json': {
    counts: { templates: 1 },
    check: (h) =>
      expectTemplate(h, {
        metaId: '1689556908129835',
        name: 'abandoned_cart',
        language: 'en',
        status: 'REJECTED',
        category: 'MARKETING',
        rejectionReason: 'Your template has parameters placed next to each other (like {{1}}{{2}}) without text or punctuation between them.',
      }),
  },
  'webhook-template-quality-update.json': {
    counts: { templates: 1 },
    check: (h) => expectTemplate(h, { metaId: '806312974732579', name: 'welcome_template', language: 'en_US', quality: 'YELLOW', status: 'UNKNOWN', category: 'UNKNOWN' }),
  },
  'webhook-template-category-update-done.json': {
    counts: { templates: 1 },
    check: (h) => expectTemplate(h, { metaId: '278077987957091', name: 'welcome_template', language: 'en_US', category: 'MARKETING', status: 'UNKNOWN' }),
  },
  'webhook-template-category-update-impending.json': {
    counts: { templates: 1 },
    check: (h) => {
      // `new_category` is the category now; the correct one comes at category_update_timestamp.
      expectTemplate(h, { metaId: '278077987957091', name: 'welcome_template', language: 'en_US', category: 'UTILITY' });
      const notice = { metaId: '278077987957091', name: 'welcome_template', language: 'en_US', currentCategory: 'UTILITY', correctCategory: 'MARKETING', effectiveAt: s(1746169200), at: s(1746082800) };
      expect(readInboundHealth(h.archive.settings).templateCategoryNotices).toEqual([notice]);
      expect(h.eventsNamed('health:template-category')).toEqual([notice]);
    },
  },
  'status-sent.json': {
    counts: { statuses: 1, orphanStatuses: 1 },
    check: (h) => expectStatus(h, 'status-sent.json', { status: 'sent', recipient: { waId: '16505551234' } }),
  },
  'status-v24-no-conversation-no-pricing.json': {
    counts: { statuses: 1, orphanStatuses: 1 },
    check: (h) => expectStatus(h, 'status-v24-no-conversation-no-pricing.json', { status: 'sent', recipient: { waId: '16505551234' } }),
  },
  'status-delivered-cbp.json': {
    counts: { statuses: 1, orphanStatuses: 1 },
    check: (h) => expectStatus(h, 'status-delivered-cbp.json', { status: 'delivered', recipient: { waId: '16505551234' } }),
  },
  'status-failed-131049.json': {
    counts: { statuses: 1, orphanStatuses: 1 },
    check: (h) =>
      expectStatus(h, 'status-failed-131049.json', {
        status: 'failed',
        errorCode: 131049,
        errorTitle: 'This message was not delivered to maintain healthy ecosystem engagement.',
        recipient: { waId: '16505551234' },
      }),
  },
  'status-delivered-bsuid-with-phone.json': {
    counts: { statuses: 1, orphanStatuses: 1 },
    check: (h) => {
      // contacts[] links the BSUID and the number in one contact.
      const contact = h.archive.contacts.findByIdentity({ userId: 'US.13491208655302741918' })!;
      expect(contact).toMatchObject({ userId: 'US.13491208655302741918', parentUserId: 'US.ENT.11815799212886844830', waId: '16505551234', phone: '16505551234', username: 'pablomorales', profileName: 'Pablo M.' });
      expect(h.archive.contacts.findByIdentity({ waId: '16505551234' })?.id).toBe(contact.id);
      expectStatus(h, 'status-delivered-bsuid-with-phone.json', { status: 'delivered', recipient: { waId: '16505551234' } });
      expect(rows(h.archive, 'SELECT id FROM contacts')).toHaveLength(1);
    },
  },
  'status-delivered-bsuid-no-phone.json': {
    counts: { statuses: 1, orphanStatuses: 1 },
    check: (h) => {
      const contact = h.archive.contacts.findByIdentity({ userId: 'US.13491208655302741918' })!;
      expect(contact).toMatchObject({ userId: 'US.13491208655302741918', waId: null, phone: null, username: 'pablomorales', profileName: 'Pablo M.' });
      expectStatus(h, 'status-delivered-bsuid-no-phone.json', { status: 'delivered', recipient: { userId: 'US.13491208655302741918' } });
    },
  },
};

function valueOfFixture(name: string): Json {
  return fixture(name).entry[0].changes[0].value;
}

describeWithFixtures('replaying every inbound fixture', () => {
  it('has a field-by-field expectation for every webhook and status fixture', () => {
    expect(Object.keys(expectations).sort()).toEqual(inboundFixtureNames());
  });

  for (const name of inboundFixtureNames()) {
    it(name, () => {
      const h = createHarness();
      const expectation = expectations[name];
      if (!expectation) throw new Error(`No expectation written for ${name}`);
      const counts = h.process(fixtureBytes(name));
      expect(counts).toEqual({
        messages: 0, duplicates: 0, statuses: 0, orphanStatuses: 0, reactions: 0, edits: 0, revokes: 0, preferences: 0, templates: 0,
        health: 0, unhandled: 0, skipped: 0, ...none, ...expectation.counts,
      });
      expectation.check(h);

      // Replaying the same bytes changes nothing and announces nothing.
      const before = h.events.length;
      const again = h.process(fixtureBytes(name));
      expect(again.messages + again.statuses + again.reactions + again.edits + again.revokes).toBe(0);
      expect(h.events.slice(before)).toEqual([]);
    });
  }
});
