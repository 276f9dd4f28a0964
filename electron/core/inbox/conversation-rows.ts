/** A conversation as the list shows it (PRODUCT §2), from the read model's row and core's clock. */
import type { ConversationPreview, ConversationRow, LabelChip, OutboundStatus } from '../../../shared/ipc';
import { serviceWindowMs } from '../cloud/inbound/window';
import { formatInternational } from '../contacts/phone';
import type { InboxListRow, LabelRow } from './repositories/inbox-list';

/** Saved name, profile name, number in international format, @username, BSUID: the first there is. */
export function conversationTitle(r: Pick<InboxListRow, 'savedName' | 'profileName' | 'phone' | 'waId' | 'username' | 'userId' | 'groupId'>): { title: string; subtitle: string | null } {
  if (r.groupId !== null) return { title: r.groupId, subtitle: null };
  const digits = r.phone ?? r.waId;
  const number = digits ? formatInternational(digits) : null;
  const username = r.username ? `@${r.username}` : null;
  const name = r.savedName?.trim() || r.profileName?.trim();
  if (name) return { title: name, subtitle: number ?? username };
  if (number) return { title: number, subtitle: username };
  if (username) return { title: username, subtitle: null };
  return { title: r.userId ?? '', subtitle: null };
}

function previewOf(r: InboxListRow): ConversationPreview | null {
  if (r.lmId === null || r.lmType === null || r.lmDirection === null) return null;
  const revoked = r.lmRevokedAt !== null;
  return {
    type: r.lmType,
    direction: r.lmDirection,
    text: revoked ? null : (r.lmText ?? r.lmCaption ?? r.lmFileName ?? r.lmEmoji),
    status: r.lmStatus as OutboundStatus | null,
    automatic: r.lmAutomatic !== null,
    revoked,
  };
}

export function windowOf(r: Pick<InboxListRow, 'groupId' | 'lastInboundAt'>, now: number): { open: boolean; closesAt: number | null } {
  if (r.groupId !== null || r.lastInboundAt === null) return { open: false, closesAt: null };
  const closesAt = r.lastInboundAt + serviceWindowMs;
  return { open: now < closesAt, closesAt };
}

export function toConversationRow(r: InboxListRow, labels: ReadonlyMap<number, LabelRow>, now: number): ConversationRow {
  const window = windowOf(r, now);
  const chips: LabelChip[] = (r.labelIds ? r.labelIds.split(',').map(Number) : [])
    .map((id) => labels.get(id))
    .filter((l): l is LabelRow => l !== undefined)
    .sort((a, b) => a.position - b.position || a.id - b.id)
    .map((l) => ({ id: l.id, name: l.name, colour: l.colour }));
  return {
    id: r.id,
    contactId: r.contactId,
    groupId: r.groupId,
    ...conversationTitle(r),
    preview: previewOf(r),
    lastActivityAt: r.lastActivityAt,
    unreadCount: r.unreadCount,
    manualUnread: r.manualUnread === 1,
    pinned: r.pinnedAt !== null,
    archived: r.archived === 1,
    mutedUntil: r.mutedUntil !== null && r.mutedUntil > now ? r.mutedUntil : null,
    labels: chips,
    windowOpen: window.open,
    windowClosesAt: window.closesAt,
    needsReply: r.groupId === null && r.lastInboundAt !== null && r.lastInboundAt > (r.lastStaffAt ?? 0),
    readOnly: r.groupId !== null,
  };
}
