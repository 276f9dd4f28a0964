import type { ContactView, ConversationDetail, ConversationRow, StaffState } from '../../../shared/ipc/inbox';

/** A contact as core describes it, changed by `overrides`. */
export function contact(id: number, overrides: Partial<ContactView> = {}): ContactView {
  return {
    id,
    userId: `US.${1000 + id}`,
    waId: `8613800000${String(id).padStart(3, '0')}`,
    phone: `+86 138 0000 0${String(id).padStart(3, '0')}`,
    username: null,
    profileName: `Customer ${id}`,
    savedName: null,
    displayName: `Customer ${id}`,
    notes: '',
    labels: [],
    blocked: false,
    marketingOptOut: false,
    firstContactAt: new Date(2025, 0, 5, 9, 0).getTime(),
    lastContactAt: new Date(2025, 2, 14, 16, 30).getTime(),
    conversationId: 100 + id,
    ...overrides,
  };
}

export function conversationRow(id: number, overrides: Partial<ConversationRow> = {}): ConversationRow {
  return {
    id,
    contactId: 1,
    groupId: null,
    title: 'Mei Lin',
    subtitle: '+86 138 0000 0001',
    preview: { type: 'text', direction: 'in', text: 'Can I book a cleaning for Friday?', status: null, automatic: false, revoked: false },
    lastActivityAt: Date.now(),
    unreadCount: 1,
    manualUnread: false,
    pinned: false,
    archived: false,
    mutedUntil: null,
    labels: [],
    windowOpen: true,
    windowClosesAt: null,
    needsReply: true,
    readOnly: false,
    ...overrides,
  };
}

export function conversationDetail(id: number, row: Partial<ConversationRow> = {}, person: Partial<ContactView> | null = {}): ConversationDetail {
  return {
    row: conversationRow(id, row),
    contact: person === null ? null : contact(1, { displayName: 'Mei Lin', conversationId: id, ...person }),
    draft: '',
  };
}

export function staffState(overrides: Partial<StaffState> = {}): StaffState {
  return {
    members: [
      { id: 'st-ana', name: 'Ana', hasPin: false, active: true },
      { id: 'st-wei', name: 'Wei', hasPin: true, active: true },
    ],
    currentId: 'st-ana',
    ...overrides,
  };
}
