/**
 * "New chat" by number (PRODUCT §2): any common international writing is accepted (+ or 00), refused with
 * a sentence saying why otherwise; the contact is found by its number or created, the conversation too,
 * and its window is closed (only templates until the customer writes).
 */
import { describe, expect, it } from 'vitest';
import type { ConversationDetail } from '../../../shared/ipc';
import { call, customerWrites, openDemoInbox } from './inbox-support';

describe('opening a conversation by number', () => {
  it('creates the contact and conversation once, whichever way the number is written; the window is closed', async () => {
    const inbox = await openDemoInbox();
    const opened = await call<ConversationDetail>(inbox.core, 'conversations:open-number', { phone: '+44 7911 123456' });
    expect(opened.row).toMatchObject({ title: '+44 7911 123456', windowOpen: false, windowClosesAt: null, needsReply: false, preview: null });
    expect(opened.contact).toMatchObject({ phone: '+44 7911 123456', waId: '447911123456' });
    expect(inbox.archive().contacts.get(opened.contact!.id)).toMatchObject({ phone: '447911123456', waId: '447911123456' });

    for (const phone of ['0044 7911 123456', '+44 7911-123-456', '+447911123456']) {
      expect((await call<ConversationDetail>(inbox.core, 'conversations:open-number', { phone })).row.id).toBe(opened.row.id);
    }
    expect(await inbox.core.invoke('messages:send', { kind: 'text', conversationId: opened.row.id, text: 'Hello' })).toMatchObject({ ok: false, error: { code: 'window_closed' } });
  });

  it('finds a customer who already wrote, even from a number range the metadata does not list', async () => {
    const inbox = await openDemoInbox();
    // The demo's first customer has a US 555 number: not a number in use, but Meta gave it to us.
    const written = await customerWrites(inbox, 0);
    const waId = inbox.archive().contacts.get(inbox.archive().conversations.get(written.conversationId)!.contactId!)!.waId!;
    const opened = await call<ConversationDetail>(inbox.core, 'conversations:open-number', { phone: `+${waId}` });
    expect(opened.row.id).toBe(written.conversationId);
    expect(opened.row.windowOpen).toBe(true);
  });

  it('refuses what is not a WhatsApp-able number, saying why', async () => {
    const inbox = await openDemoInbox();
    const refusals: Array<[string, RegExp]> = [
      ['07911 123456', /country code, starting with \+ or 00/],
      ['+44 79', /too short/],
      ['+44 7911 123456 789', /too long/],
      ['+999 1234 5678', /country code in use/],
      ['call me', /only digits/],
      ['+1 555 010 9999', /not a number in use under country code \+1/],
      ['+852 0123 4567', /not a number in use in Hong Kong/],
    ];
    for (const [phone, reason] of refusals) {
      const result = await inbox.core.invoke('conversations:open-number', { phone });
      expect(result, phone).toMatchObject({ ok: false, error: { code: 'invalid_phone', message: expect.stringMatching(reason), fields: [{ path: 'phone' }] } });
    }
    expect(inbox.archive().db.prepare('SELECT count(*) FROM contacts').pluck().get()).toBe(0);
  });
});
