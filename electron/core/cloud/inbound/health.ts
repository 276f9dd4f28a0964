/**
 * What webhooks tell the health panel (PRODUCT §1): the phone number's quality / throughput tier, account
 * alerts, account-level webhook errors (e.g. 130429), impending template category changes, and fields we
 * received but do not act on. Kept in one settings value inside the archive.
 *
 * Each list is keyed (an alert by entity and type, an error by code and text, …) and keeps the newest event
 * per key by Meta's time, sorted by a fixed rule: the same events in any order give the same value.
 */
import type { SettingsRepository } from '../../archive/repositories/settings';

export const inboundHealthKey = 'cloud.health';

export interface PhoneQualityNotice {
  displayPhoneNumber: string;
  event: string;
  currentLimit: string | null;
  oldLimit: string | null;
  maxDailyConversations: string | null;
  at: number;
}

export interface AccountAlertNotice {
  entityType: string;
  entityId: string;
  type: string;
  severity: string;
  status: string;
  description: string | null;
  at: number;
}

export interface WebhookErrorNotice {
  code: number;
  title: string | null;
  details: string | null;
  at: number;
}

export interface TemplateCategoryNotice {
  metaId: string;
  name: string;
  language: string;
  currentCategory: string;
  correctCategory: string;
  /** When Meta applies `correctCategory`, ms; null if Meta gave no time. */
  effectiveAt: number | null;
  at: number;
}

export interface UnhandledFieldNotice {
  field: string;
  lastSeenAt: number;
}

export interface InboundHealth {
  phoneQuality: PhoneQualityNotice | null;
  accountAlerts: AccountAlertNotice[];
  webhookErrors: WebhookErrorNotice[];
  templateCategoryNotices: TemplateCategoryNotice[];
  unhandledFields: UnhandledFieldNotice[];
}

const caps = { accountAlerts: 50, webhookErrors: 20, templateCategoryNotices: 50, unhandledFields: 50 } as const;

export function emptyHealth(): InboundHealth {
  return { phoneQuality: null, accountAlerts: [], webhookErrors: [], templateCategoryNotices: [], unhandledFields: [] };
}

export function readInboundHealth(settings: SettingsRepository): InboundHealth {
  const stored = settings.get(inboundHealthKey);
  return typeof stored === 'object' && stored !== null ? { ...emptyHealth(), ...(stored as Partial<InboundHealth>) } : emptyHealth();
}

/** Orders events of one key: by time, then by their content, so the winner does not depend on arrival. */
function newer<T extends object>(a: T, aAt: number, b: T, bAt: number): boolean {
  return aAt > bAt || (aAt === bAt && JSON.stringify(a) > JSON.stringify(b));
}

function upsertKeyed<T extends object>(list: T[], item: T, keyOf: (t: T) => string, atOf: (t: T) => number, cap: number): { list: T[]; changed: boolean } {
  const key = keyOf(item);
  const index = list.findIndex((t) => keyOf(t) === key);
  if (index >= 0 && !newer(item, atOf(item), list[index]!, atOf(list[index]!))) return { list, changed: false };
  const next = index >= 0 ? list.map((t, i) => (i === index ? item : t)) : [...list, item];
  next.sort((a, b) => atOf(b) - atOf(a) || (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  return { list: next.slice(0, cap), changed: true };
}

/** Read-modify-write of the health value; call inside the processor's transaction. */
export function createHealthStore(settings: SettingsRepository) {
  function update(change: (h: InboundHealth) => boolean): boolean {
    const health = readInboundHealth(settings);
    if (!change(health)) return false;
    settings.set(inboundHealthKey, health);
    return true;
  }

  return {
    read: () => readInboundHealth(settings),

    phoneQuality: (notice: PhoneQualityNotice) =>
      update((h) => {
        if (h.phoneQuality && !newer(notice, notice.at, h.phoneQuality, h.phoneQuality.at)) return false;
        h.phoneQuality = notice;
        return true;
      }),

    accountAlert: (notice: AccountAlertNotice) =>
      update((h) => {
        const r = upsertKeyed(h.accountAlerts, notice, (a) => `${a.entityType}\u0000${a.entityId}\u0000${a.type}`, (a) => a.at, caps.accountAlerts);
        h.accountAlerts = r.list;
        return r.changed;
      }),

    webhookError: (notice: WebhookErrorNotice) =>
      update((h) => {
        const r = upsertKeyed(h.webhookErrors, notice, (e) => `${e.code}\u0000${e.title ?? ''}\u0000${e.details ?? ''}`, (e) => e.at, caps.webhookErrors);
        h.webhookErrors = r.list;
        return r.changed;
      }),

    templateCategoryNotice: (notice: TemplateCategoryNotice) =>
      update((h) => {
        const r = upsertKeyed(h.templateCategoryNotices, notice, (n) => n.metaId, (n) => n.at, caps.templateCategoryNotices);
        h.templateCategoryNotices = r.list;
        return r.changed;
      }),

    unhandledField: (field: string, at: number) =>
      update((h) => {
        const r = upsertKeyed(h.unhandledFields, { field, lastSeenAt: at }, (u) => u.field, (u) => u.lastSeenAt, caps.unhandledFields);
        h.unhandledFields = r.list;
        return r.changed;
      }),
  };
}

export type HealthStore = ReturnType<typeof createHealthStore>;
