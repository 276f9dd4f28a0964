import type { LabelInfo, LabelMessageEntry, labelChannels } from '../../../shared/ipc/labels';
import type { Archive } from '../archive';
import { contactDisplayName } from '../archive/display-name';
import type { LabelWithCounts } from '../archive/types';
import type { ChannelHandlers } from '../dispatcher';
import { AppError } from '../errors';
import type { FeatureDeps } from '../feature-deps';

type LabelChannel = keyof typeof labelChannels;

/**
 * Labels (PRODUCT §8). Every change announces `labels:changed` (filters, chips, pickers and pages fetch
 * again); a change to a conversation's labels also announces `conversations:changed` with its id, so the
 * inbox rows show the new chips.
 */
export function createLabelHandlers(deps: FeatureDeps): Pick<ChannelHandlers, LabelChannel> {
  const toInfo = (l: LabelWithCounts): LabelInfo => ({
    id: l.id,
    name: l.name,
    colour: l.colour,
    order: l.position,
    conversations: l.conversationCount,
    messages: l.messageCount,
  });

  const list = (archive: Archive): LabelInfo[] => archive.labels.list().map(toInfo);

  function info(archive: Archive, id: number): LabelInfo {
    const found = archive.labels.list().find((l) => l.id === id);
    if (!found) throw new AppError('not_found', `No label ${id}`);
    return toInfo(found);
  }

  function requireLabel(archive: Archive, id: number): void {
    if (!archive.labels.get(id)) throw new AppError('not_found', `No label ${id}`);
  }

  function changed(labelIds: number[], messages: { id: number; conversationId: number }[] = []): void {
    deps.events.emit('labels:changed', {
      labelIds,
      messageIds: messages.map((m) => m.id),
      conversationIds: [...new Set(messages.map((m) => m.conversationId))],
    });
  }

  function assignment(request: { labelId: number; conversationIds: number[] } | { labelId: number; messageIds: number[] }, assign: boolean): { changed: number } {
    const archive = deps.archive();
    requireLabel(archive, request.labelId);
    if ('conversationIds' in request) {
      const ids = archive.labels.existingConversations([...new Set(request.conversationIds)]);
      if (ids.length === 0) throw new AppError('not_found', 'None of these conversations exists');
      const count = assign ? archive.labels.assignToConversations(request.labelId, ids) : archive.labels.unassignFromConversations(request.labelId, ids);
      if (count > 0) {
        deps.events.emit('conversations:changed', { ids });
        changed([request.labelId]);
      }
      return { changed: count };
    }
    const messages = archive.labels.existingMessages([...new Set(request.messageIds)]);
    if (messages.length === 0) throw new AppError('not_found', 'None of these messages exists');
    const ids = messages.map((m) => m.id);
    const count = assign ? archive.labels.assignToMessages(request.labelId, ids) : archive.labels.unassignFromMessages(request.labelId, ids);
    if (count > 0) changed([request.labelId], messages);
    return { changed: count };
  }

  return {
    'labels:list': () => list(deps.archive()),

    'labels:create': ({ name, colour }) => {
      const archive = deps.archive();
      const created = archive.labels.create({ name, colour });
      changed([created.id]);
      return info(archive, created.id);
    },

    'labels:update': ({ id, name, colour }) => {
      const archive = deps.archive();
      requireLabel(archive, id);
      archive.transaction(() => {
        if (name !== undefined) archive.labels.rename(id, name);
        if (colour !== undefined) archive.labels.recolour(id, colour);
      });
      changed([id]);
      // The chips on the rows carrying it show the new name or colour.
      const conversations = conversationsWith(archive, id);
      if (conversations.length > 0) deps.events.emit('conversations:changed', { ids: conversations });
      return info(archive, id);
    },

    'labels:reorder': ({ ids }) => {
      const archive = deps.archive();
      const known = new Set(archive.labels.list().map((l) => l.id));
      const unknown = ids.find((id) => !known.has(id));
      if (unknown !== undefined) throw new AppError('not_found', `No label ${unknown}`);
      if (new Set(ids).size !== ids.length) throw new AppError('invalid_request', 'A label is named twice', [{ path: 'ids', message: 'duplicate' }]);
      archive.labels.reorder(ids);
      changed(ids);
      return list(archive);
    },

    'labels:usage': ({ id }) => {
      const archive = deps.archive();
      requireLabel(archive, id);
      const usage = archive.labels.usage(id);
      return { ...usage, total: usage.conversations + usage.messages };
    },

    'labels:delete': ({ id, confirmCount }) => {
      const archive = deps.archive();
      requireLabel(archive, id);
      // Staff confirmed a number; if more were labelled since, they confirm again.
      const now = archive.labels.countAssignments(id);
      if (now !== confirmCount) {
        throw new AppError('invalid_request', `The label now has ${now} assignments, not ${confirmCount}`, [{ path: 'confirmCount', message: 'changed' }]);
      }
      const conversations = conversationsWith(archive, id);
      const removed = archive.labels.delete(id);
      changed([id]);
      if (conversations.length > 0) deps.events.emit('conversations:changed', { ids: conversations });
      return { removed };
    },

    'labels:assign': (request) => assignment(request, true),
    'labels:unassign': (request) => assignment(request, false),

    'labels:messages': ({ labelId, before, limit }) => {
      const archive = deps.archive();
      requireLabel(archive, labelId);
      const rows = archive.labels.messages(labelId, before ?? null, limit + 1);
      const more = rows.length > limit;
      const entries: LabelMessageEntry[] = rows.slice(0, limit).map((r) => ({
        messageId: r.messageId,
        conversationId: r.conversationId,
        contactId: r.contactId,
        contactName: r.contactId !== null ? contactDisplayName(r) : (r.groupId ?? ''),
        direction: r.direction,
        type: r.type,
        text: r.revokedAt !== null ? null : (r.text ?? r.caption ?? r.fileName),
        timestamp: r.timestamp,
        revoked: r.revokedAt !== null,
      }));
      return { entries, nextBefore: more ? (entries.at(-1)?.messageId ?? null) : null };
    },
  };
}

/** The conversations a label is on (their rows show its chip). */
function conversationsWith(archive: Archive, labelId: number): number[] {
  return archive.labels.conversationsWith(labelId);
}
