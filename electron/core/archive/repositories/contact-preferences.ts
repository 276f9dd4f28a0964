import type Database from 'better-sqlite3';

/**
 * A contact's marketing preference as Meta reports it (`user_preferences` webhooks: stop / resume), applied
 * by Meta's time so webhooks in any order end in the same state.
 *
 * `marketing_opt_out_at` holds the time of the preference event that decided the current state, for a
 * resume too (so an older stop arriving late is recognised as older); read it together with
 * `marketing_opt_out`. On equal times a stop wins: when in doubt, no marketing.
 */
export interface ContactPreferencesRepository {
  /** Returns whether the contact changed. */
  applyMarketingPreference(contactId: number, preference: { optedOut: boolean; at: number }): boolean;
}

export function createContactPreferencesRepository(db: Database.Database, now: () => number): ContactPreferencesRepository {
  const apply = db.prepare<{ id: number; optOut: number; at: number; now: number }>(`
    UPDATE contacts SET marketing_opt_out = :optOut, marketing_opt_out_at = :at, updated_at = :now
    WHERE id = :id
      AND (marketing_opt_out_at IS NULL OR :at > marketing_opt_out_at OR (:at = marketing_opt_out_at AND :optOut > marketing_opt_out))
      AND NOT (marketing_opt_out = :optOut AND marketing_opt_out_at IS :at)`);
  return {
    applyMarketingPreference: (id, p) => apply.run({ id, optOut: p.optedOut ? 1 : 0, at: p.at, now: now() }).changes > 0,
  };
}
