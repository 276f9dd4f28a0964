import type { ComposerTranslation } from 'vue-i18n';
import { knownMessageTypes } from '../../utils/message-types';
import type { DeliveryState, KnownMessageType } from '../../utils/message-types';

const deliveryStates: DeliveryState[] = ['pending', 'sent', 'delivered', 'read', 'failed', 'notConfirmed', 'cancelled'];

/**
 * Everything a conversation row says, in the UI language, worked out once per language by the list and
 * handed to every row: a row mounts or patches without an i18n composer of its own.
 */
export interface RowText {
  locale: string;
  loading: string;
  pinned: string;
  muted: string;
  archived: string;
  windowClosed: string;
  group: string;
  markedUnread: string;
  automatic: string;
  deleted: string;
  types: Record<KnownMessageType, string>;
  ticks: Record<DeliveryState, string>;
  unread: (count: number) => string;
  menu: (name: string) => string;
}

export function rowText(t: ComposerTranslation, locale: string): RowText {
  // The menu's label around a marker, split once: each row joins its name in (no message compiled per row).
  const marker = '\u0000';
  const [before = '', after = ''] = t('inbox.row.menu', { name: marker }).split(marker);
  return {
    locale,
    loading: t('inbox.loading'),
    pinned: t('inbox.row.pinned'),
    muted: t('inbox.row.muted'),
    archived: t('inbox.row.archived'),
    windowClosed: t('inbox.row.windowClosed'),
    group: t('inbox.row.group'),
    markedUnread: t('inbox.row.markedUnread'),
    automatic: t('inbox.row.automatic'),
    deleted: t('inbox.message.deleted'),
    types: Object.fromEntries(knownMessageTypes.map((type) => [type, t(`inbox.types.${type}`)])) as Record<KnownMessageType, string>,
    ticks: Object.fromEntries(deliveryStates.map((state) => [state, t(`inbox.ticks.${state}`)])) as Record<DeliveryState, string>,
    unread: (count) => t('inbox.row.unread', { count }, count),
    menu: (name) => before + name + after,
  };
}
