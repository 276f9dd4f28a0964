/** Core's answers for the business profile, business hours, greeting/away and the automation log. */
import type { AutomationLogEntry, AutoRepliesView, DryRunEntry, HoursState, HoursView, ProfileView } from '../../../shared/ipc/automation';
import { defaultAutoReplies } from '../../../shared/rules/auto-replies';
import { defaultBusinessHours } from '../../../shared/rules/business-hours';
import type { BusinessHours } from '../../../shared/rules/business-hours';

/** Friday 14 March 2025, 10:00 UTC: "now" on core's clock in these tests (the business is in UTC). */
export const now = Date.UTC(2025, 2, 14, 10, 0);
export const minute = 60_000;
export const hour = 60 * minute;

export function profileView(overrides: Partial<ProfileView> = {}): ProfileView {
  return {
    fields: {
      about: 'Gentle dentistry in the heart of town',
      address: '12 High Street, Cambridge',
      description: 'Check-ups, cleaning and emergency appointments.',
      email: 'hello@lotus-dental.example',
      websites: ['https://lotus-dental.example'],
      vertical: 'HEALTH',
    },
    photoMediaId: 41,
    syncedAt: now - 2 * hour,
    stale: false,
    staleReason: null,
    extras: { contactMethods: [{ kind: 'phone', label: 'Reception', value: '+44 1223 555 010' }] },
    businessName: 'Lotus Dental',
    ...overrides,
  };
}

export function openState(overrides: Partial<HoursState> = {}): HoursState {
  return { open: true, appointment: false, nextChange: Date.UTC(2025, 2, 14, 17, 0), nextOpen: null, timezone: 'UTC', ...overrides };
}

export function closedState(overrides: Partial<HoursState> = {}): HoursState {
  return { open: false, appointment: false, nextChange: Date.UTC(2025, 2, 17, 9, 0), nextOpen: Date.UTC(2025, 2, 17, 9, 0), timezone: 'UTC', ...overrides };
}

export function hoursView(overrides: Partial<HoursView> = {}, hours: BusinessHours = defaultBusinessHours('UTC')): HoursView {
  return {
    hours,
    effectiveFrom: now - 30 * 24 * hour,
    state: openState(),
    history: [
      { id: 2, effectiveFrom: now - 30 * 24 * hour, timezone: 'UTC' },
      { id: 1, effectiveFrom: now - 90 * 24 * hour, timezone: 'Europe/London' },
    ],
    ...overrides,
  };
}

export function autoRepliesView(overrides: Partial<AutoRepliesView> = {}): AutoRepliesView {
  return {
    settings: structuredClone(defaultAutoReplies),
    preview: { name: 'Mei', business: 'Lotus Dental', nextOpen: Date.UTC(2025, 2, 17, 9, 0), timezone: 'UTC' },
    ...overrides,
  };
}

export function dryRunEntry(id: number, overrides: Partial<DryRunEntry> = {}): DryRunEntry {
  return {
    kind: 'greeting',
    at: now - id * hour,
    contactId: id,
    contactName: `Customer ${id}`,
    conversationId: id,
    inboundMessageId: 100 + id,
    text: `Hello Customer ${id}, thank you for contacting Lotus Dental.`,
    ...overrides,
  };
}

export function logEntry(id: number, overrides: Partial<AutomationLogEntry> = {}): AutomationLogEntry {
  return {
    id,
    kind: 'away',
    at: now - id * hour,
    contactId: id,
    contactName: `Customer ${id}`,
    conversationId: id,
    inboundMessageId: 200 + id,
    inboundText: `Are you open? (${id})`,
    messageId: 300 + id,
    text: 'We are closed right now and will reply when we open (Monday 09:00).',
    status: 'delivered',
    period: { mode: 'outsideHours', closedSince: Date.UTC(2025, 2, 13, 17, 0) },
    ...overrides,
  };
}
