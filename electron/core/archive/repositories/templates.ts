import type Database from 'better-sqlite3';

/**
 * Message templates as Meta holds them (PRODUCT §9): written by the template sync (Graph list) and kept
 * current by the template status / quality / category webhooks.
 *
 * Webhooks arrive in any order and may be older than the last sync, so each of the three aspects (status
 * with its rejection reason, quality, category) remembers the Meta time of the event that set it, and an
 * older event never overwrites a newer one. Those times live in one settings row per template
 * (`templates.eventTimes.<meta id>`): they are bookkeeping, not template data.
 */
export interface TemplatesRepository {
  get(id: number): Template | undefined;
  getByMetaId(metaId: string): Template | undefined;
  getByNameAndLanguage(name: string, language: string): Template | undefined;
  /** Every template, by name then language. */
  list(): Template[];
  /**
   * Applies what a webhook says about a template. A template not synced yet is created from what the
   * webhook names (status or category `UNKNOWN` until known, no components).
   */
  applyWebhook(update: TemplateWebhookUpdate): { template: Template; changed: boolean; created: boolean };
  /** Writes a template as the Graph API returned it; webhooks older than `syncedAt` no longer apply. */
  upsertSynced(template: SyncedTemplate, syncedAt: number): Template;
}

export interface Template {
  id: number;
  metaId: string | null;
  name: string;
  /** API form (`en_US`). */
  language: string;
  category: string;
  subCategory: string | null;
  status: string;
  quality: string | null;
  rejectionReason: string | null;
  parameterFormat: 'positional' | 'named' | null;
  componentsJson: string;
  syncedAt: number | null;
  updatedAt: number;
}

export interface TemplateWebhookUpdate {
  metaId: string;
  name: string;
  /** API form (`en_US`); webhooks say `en-US`, the caller converts. */
  language: string;
  /** Meta's time of the event, ms. */
  at: number;
  status?: { value: string; rejectionReason: string | null };
  quality?: string;
  category?: string;
}

export interface SyncedTemplate {
  metaId: string;
  name: string;
  language: string;
  category: string;
  subCategory?: string | null;
  status: string;
  quality?: string | null;
  rejectionReason?: string | null;
  parameterFormat?: 'positional' | 'named' | null;
  components: unknown[];
}

type Aspect = 'status' | 'quality' | 'category';
type AspectTimes = Partial<Record<Aspect, number>>;

export const unknownTemplateValue = 'UNKNOWN';

const columns = `
  id, meta_id AS metaId, name, language, category, sub_category AS subCategory, status, quality,
  rejection_reason AS rejectionReason, parameter_format AS parameterFormat, components_json AS componentsJson,
  synced_at AS syncedAt, updated_at AS updatedAt`;

export function createTemplatesRepository(db: Database.Database, now: () => number): TemplatesRepository {
  const byId = db.prepare<[number], Template>(`SELECT ${columns} FROM templates WHERE id = ?`);
  const byMetaId = db.prepare<[string], Template>(`SELECT ${columns} FROM templates WHERE meta_id = ?`);
  const byNameLanguage = db.prepare<[string, string], Template>(`SELECT ${columns} FROM templates WHERE name = ? AND language = ?`);
  const all = db.prepare<[], Template>(`SELECT ${columns} FROM templates ORDER BY name, language`);
  const insertPlaceholder = db.prepare<{ metaId: string; name: string; language: string; category: string; status: string; now: number }>(`
    INSERT INTO templates(meta_id, name, language, category, status, components_json, updated_at)
    VALUES (:metaId, :name, :language, :category, :status, '[]', :now)`);
  const setMetaId = db.prepare<[string, number, number]>('UPDATE templates SET meta_id = ?, updated_at = ? WHERE id = ?');
  const setStatus = db.prepare<[string, string | null, number, number]>('UPDATE templates SET status = ?, rejection_reason = ?, updated_at = ? WHERE id = ?');
  const setQuality = db.prepare<[string, number, number]>('UPDATE templates SET quality = ?, updated_at = ? WHERE id = ?');
  const setCategory = db.prepare<[string, number, number]>('UPDATE templates SET category = ?, updated_at = ? WHERE id = ?');
  const insertSynced = db.prepare<Record<string, unknown>>(`
    INSERT INTO templates(meta_id, name, language, category, sub_category, status, quality, rejection_reason, parameter_format,
      components_json, synced_at, updated_at)
    VALUES (:metaId, :name, :language, :category, :subCategory, :status, :quality, :rejectionReason, :parameterFormat,
      :componentsJson, :syncedAt, :now)`);
  const updateSynced = db.prepare<Record<string, unknown>>(`
    UPDATE templates SET meta_id = :metaId, name = :name, language = :language, category = :category, sub_category = :subCategory,
      status = :status, quality = coalesce(:quality, quality), rejection_reason = :rejectionReason,
      parameter_format = :parameterFormat, components_json = :componentsJson, synced_at = :syncedAt, updated_at = :now
    WHERE id = :id`);
  const timesKey = (metaId: string) => `templates.eventTimes.${metaId}`;
  const readTimes = db.prepare<[string], string>('SELECT value_json FROM settings WHERE key = ?').pluck();
  const writeTimes = db.prepare<[string, string, number]>(`
    INSERT INTO settings(key, value_json, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`);

  function find(metaId: string, name: string, language: string): Template | undefined {
    return byMetaId.get(metaId) ?? byNameLanguage.get(name, language);
  }

  const apply = db.transaction((u: TemplateWebhookUpdate) => {
    const t = now();
    let template = find(u.metaId, u.name, u.language);
    let created = false;
    if (!template) {
      const id = Number(
        insertPlaceholder.run({
          metaId: u.metaId,
          name: u.name,
          language: u.language,
          category: u.category ?? unknownTemplateValue,
          status: u.status?.value ?? unknownTemplateValue,
          now: t,
        }).lastInsertRowid,
      );
      template = byId.get(id)!;
      created = true;
    } else if (template.metaId !== u.metaId) {
      // Same name and language under a new id: the template was deleted and made again.
      setMetaId.run(u.metaId, t, template.id);
    }
    const id = template.id;
    const times = JSON.parse(readTimes.get(timesKey(u.metaId)) ?? '{}') as AspectTimes;
    let changed = created;
    let timesChanged = false;
    // Newer than the last sync and than the event that set this aspect; equal times fall to a fixed rule.
    const wins = (aspect: Aspect, value: string, current: string | null) => {
      if (template.syncedAt !== null && u.at < template.syncedAt) return false;
      const seen = times[aspect];
      if (seen !== undefined && (u.at < seen || (u.at === seen && value <= (current ?? '')))) return false;
      if (seen !== u.at) timesChanged = true;
      times[aspect] = u.at;
      return true;
    };
    if (u.status && wins('status', u.status.value, template.status)) {
      if (template.status !== u.status.value || template.rejectionReason !== u.status.rejectionReason) {
        setStatus.run(u.status.value, u.status.rejectionReason, t, id);
        changed = true;
      }
    }
    if (u.quality && wins('quality', u.quality, template.quality) && template.quality !== u.quality) {
      setQuality.run(u.quality, t, id);
      changed = true;
    }
    if (u.category && wins('category', u.category, template.category) && template.category !== u.category) {
      setCategory.run(u.category, t, id);
      changed = true;
    }
    if (timesChanged) {
      const sorted = Object.fromEntries(Object.entries(times).sort(([a], [b]) => (a < b ? -1 : 1)));
      writeTimes.run(timesKey(u.metaId), JSON.stringify(sorted), t);
    }
    return { template: byId.get(id)!, changed, created };
  });

  const upsertSynced = db.transaction((s: SyncedTemplate, syncedAt: number) => {
    const existing = find(s.metaId, s.name, s.language);
    const params = {
      metaId: s.metaId,
      name: s.name,
      language: s.language,
      category: s.category,
      subCategory: s.subCategory ?? null,
      status: s.status,
      quality: s.quality ?? null,
      rejectionReason: s.rejectionReason ?? null,
      parameterFormat: s.parameterFormat ?? null,
      componentsJson: JSON.stringify(s.components),
      syncedAt,
      now: now(),
    };
    if (existing) {
      updateSynced.run({ ...params, id: existing.id });
      return byId.get(existing.id)!;
    }
    return byId.get(Number(insertSynced.run(params).lastInsertRowid))!;
  });

  return {
    get: (id) => byId.get(id),
    getByMetaId: (metaId) => byMetaId.get(metaId),
    getByNameAndLanguage: (name, language) => byNameLanguage.get(name, language),
    list: () => all.all(),
    applyWebhook: (update) => apply.immediate(update),
    upsertSynced: (template, syncedAt) => upsertSynced.immediate(template, syncedAt),
  };
}
