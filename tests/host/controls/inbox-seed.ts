import { z } from 'zod';
import { registerTestControl, TestControlError } from '../test-controls';

const givenNames = ['Mei', 'Oliver', 'Siti', 'Arjun', 'Emma', 'Wei', 'Lucas', 'Hana', 'Noah', 'Aisha'];
const familyNames = ['Lin', 'Bennett', 'Tan', 'Rao', 'Clarke', 'Wang', 'Silva', 'Sato', 'Müller', 'Khan'];
const chineseNames = ['陈美玲', '王志强', '李小华', '林嘉欣', '黄俊杰', '张伟', '刘洋', '赵敏'];
const texts = ['Is Tuesday still free?', 'Thank you!', '请问周六营业吗？', 'I will be 10 minutes late', '好的，谢谢', 'Can I change my booking?'];

/**
 * Writes N conversations into the open workspace quickly (PRODUCT §2: the list scrolls smoothly at 100,000):
 * one contact, its conversation and one message each, in transactions of 5,000, through the repositories.
 * Activity is spread over the 90 days before core's now; then the list is told to refresh.
 */
registerTestControl(
  'inbox/seed-conversations',
  z.object({ count: z.number().int().min(1).max(200_000) }).strict(),
  ({ count }, { core, ports }) => {
    const workspace = core.services.workspaces.current();
    if (!workspace) throw new TestControlError('invalid_request', 'Open a workspace first', 409);
    const archive = workspace.archive;
    const now = ports.clock.now();
    const span = 90 * 24 * 3_600_000;
    const batch = 5_000;
    for (let start = 0; start < count; start += batch) {
      archive.transaction(() => {
        for (let i = start; i < Math.min(count, start + batch); i++) {
          const digits = `4479${String(10_000_000 + i)}`;
          const profileName = i % 3 === 0 ? `${chineseNames[i % chineseNames.length]} ${i}` : `${givenNames[i % 10]} ${familyNames[Math.floor(i / 10) % 10]} ${i}`;
          const { id: contactId } = archive.contacts.upsertByIdentity({ waId: digits, phone: digits, profileName });
          const { conversation } = archive.conversations.getOrCreateForContact(contactId);
          const inbound = i % 4 !== 0;
          archive.messages.insert(
            {
              conversationId: conversation.id,
              wamid: `wamid.seed.${digits}`,
              direction: inbound ? 'in' : 'out',
              type: 'text',
              text: texts[i % texts.length]!,
              payload: { body: texts[i % texts.length] },
              status: inbound ? null : 'read',
              statusAt: inbound ? null : now - Math.floor((i * 7_919) % span),
              timestamp: now - Math.floor((i * 7_919) % span) - 60_000,
            },
            { countsAsUnread: false },
          );
        }
      });
    }
    ports.events.emit('conversations:changed', { ids: [] });
    return { conversations: count };
  },
);
