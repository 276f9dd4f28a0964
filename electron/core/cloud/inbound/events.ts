/**
 * What the inbound processor tells the rest of core after a batch is committed (never before: a rolled-back
 * batch announces nothing). Named and shaped as the IPC events they are meant to become in shared/ipc;
 * until they are declared there, core forwards them from the processor's `events` callback.
 */
import type { MessageStatus } from '../../archive/types';
import type { AccountAlertNotice, PhoneQualityNotice, TemplateCategoryNotice, WebhookErrorNotice } from './health';

export interface InboundEventPayloads {
  /** A new inbound message was stored (duplicates are not announced). */
  'messages:received': {
    conversationId: number;
    messageId: number;
    contactId: number | null;
    groupId: string | null;
    type: string;
    timestamp: number;
  };
  /** An outbound message's delivery status moved forward. */
  'messages:status': {
    conversationId: number;
    messageId: number;
    clientId: string | null;
    status: MessageStatus;
    statusAt: number | null;
    errorCode: number | null;
    errorTitle: string | null;
  };
  /** The customer edited or deleted a stored message. */
  'messages:changed': { conversationId: number; messageId: number; change: 'edit' | 'revoke' };
  /** A reaction was set or removed; the message may not be stored (yet). */
  'messages:reaction': {
    messageWamid: string;
    messageId: number | null;
    conversationId: number | null;
    reactorContactId: number | null;
    emoji: string | null;
  };
  /** The 24-hour window opened or moved (an inbound message), or closed (core's clock passed its end). */
  'conversations:window': { conversationId: number; open: boolean; closesAt: number | null };
  /** A contact changed in a way staff should see: merged with another record, new number, marketing preference. */
  'contacts:changed': { contactId: number; mergedIds: number[]; reason: 'merged' | 'number_change' | 'marketing_preference' };
  'templates:changed': {
    templateId: number;
    metaId: string | null;
    name: string;
    language: string;
    status: string;
    quality: string | null;
    category: string;
  };
  'health:phone-quality': PhoneQualityNotice;
  'health:account-alert': AccountAlertNotice;
  'health:webhook-error': WebhookErrorNotice;
  'health:template-category': TemplateCategoryNotice;
  /** A webhook field Frontdesk does not act on arrived (its body is kept in the inbox). */
  'health:unhandled-field': { field: string; at: number };
}

export type InboundEventName = keyof InboundEventPayloads;

export type InboundEvent = { [N in InboundEventName]: { name: N; payload: InboundEventPayloads[N] } }[InboundEventName];

export type InboundEventSink = (event: InboundEvent) => void;
