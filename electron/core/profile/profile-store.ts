import type Database from 'better-sqlite3';
import { businessProfileFieldsSchema, profileExtrasSchema } from '../../../shared/rules/business-profile';
import type { BusinessProfileFields, ProfileExtras } from '../../../shared/rules/business-profile';

/**
 * The business profile as last read from or saved to Meta, the local extras, and the photo's stored copy
 * (the `business_profile` row, inside the encrypted archive).
 */
export interface StoredProfile {
  fields: BusinessProfileFields;
  extras: ProfileExtras;
  photoMediaId: number | null;
  /** Meta's `profile_picture_url` the stored photo came from (a new URL means a new photo). */
  photoSource: string | null;
  syncedAt: number | null;
}

export const emptyFields: BusinessProfileFields = { about: '', address: '', description: '', email: '', websites: [], vertical: '' };

export interface ProfileStore {
  read(): StoredProfile;
  saveFields(fields: BusinessProfileFields, syncedAt: number): void;
  saveExtras(extras: ProfileExtras, at: number): void;
  savePhoto(mediaId: number, source: string | null, at: number): void;
}

export function createProfileStore(db: Database.Database, now: () => number): ProfileStore {
  const select = db.prepare<[], { meta: string; extras: string; photoMediaId: number | null; syncedAt: number | null }>(
    'SELECT meta_json AS meta, extras_json AS extras, photo_media_id AS photoMediaId, synced_at AS syncedAt FROM business_profile WHERE id = 1',
  );
  const ensure = db.prepare<[number]>('INSERT INTO business_profile(id, updated_at) VALUES (1, ?) ON CONFLICT (id) DO NOTHING');
  const setMeta = db.prepare<[string, number, number]>('UPDATE business_profile SET meta_json = ?, synced_at = ?, updated_at = ? WHERE id = 1');
  const setExtras = db.prepare<[string, number]>('UPDATE business_profile SET extras_json = ?, updated_at = ? WHERE id = 1');
  const setPhoto = db.prepare<[string, number, number]>('UPDATE business_profile SET meta_json = ?, photo_media_id = ?, updated_at = ? WHERE id = 1');

  function read(): StoredProfile {
    const row = select.get();
    const meta = row ? (JSON.parse(row.meta) as { fields?: unknown; photoSource?: unknown }) : {};
    const fields = businessProfileFieldsSchema.safeParse(meta.fields);
    const extras = profileExtrasSchema.safeParse(row ? JSON.parse(row.extras) : {});
    return {
      // What Meta last said is shown as it was, even where today's rules would refuse it (a legacy value).
      fields: fields.success ? fields.data : { ...emptyFields, ...((meta.fields as Partial<BusinessProfileFields> | undefined) ?? {}) },
      extras: extras.success ? extras.data : { contactMethods: [] },
      photoMediaId: row?.photoMediaId ?? null,
      photoSource: typeof meta.photoSource === 'string' ? meta.photoSource : null,
      syncedAt: row?.syncedAt ?? null,
    };
  }

  const writeMeta = (fields: BusinessProfileFields, photoSource: string | null, syncedAt: number) =>
    setMeta.run(JSON.stringify({ fields, photoSource }), syncedAt, now());

  return {
    read,
    saveFields(fields, syncedAt) {
      ensure.run(now());
      writeMeta(fields, read().photoSource, syncedAt);
    },
    saveExtras(extras, at) {
      ensure.run(at);
      setExtras.run(JSON.stringify(extras), at);
    },
    savePhoto(mediaId, source, at) {
      ensure.run(at);
      setPhoto.run(JSON.stringify({ fields: read().fields, photoSource: source }), mediaId, at);
    },
  };
}
