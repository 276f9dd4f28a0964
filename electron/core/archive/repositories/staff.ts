import type Database from 'better-sqlite3';

/** A person at the desk (PRODUCT §2): their name goes on every message they send. */
export interface StaffRecord {
  id: string;
  name: string;
  /** libsodium's crypto_pwhash_str of the 4-digit PIN, or null when they have none. */
  pinHash: string | null;
  active: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface StaffRepository {
  /** Everyone, in the order they were added. */
  list(): StaffRecord[];
  get(id: string): StaffRecord | undefined;
  /** `active: false` records someone who is not at this desk (a sender on another desk), not offered to switch to. */
  create(member: { id: string; name: string; pinHash: string | null; active?: boolean }): StaffRecord;
}

const columns = 'id, name, pin_hash AS pinHash, active, created_at AS createdAt, updated_at AS updatedAt';

type StaffRow = Omit<StaffRecord, 'active'> & { active: number };

const toRecord = (r: StaffRow): StaffRecord => ({ ...r, active: r.active === 1 });

export function createStaffRepository(db: Database.Database, now: () => number): StaffRepository {
  // A desk has a handful of people: sorted here rather than by a temporary b-tree.
  const list = db.prepare<[], StaffRow>(`SELECT ${columns} FROM staff`);
  const byId = db.prepare<[string], StaffRow>(`SELECT ${columns} FROM staff WHERE id = ?`);
  // created_at only grows (two members added in the same millisecond keep their order): the table has no rowid.
  const insert = db.prepare<{ id: string; name: string; pinHash: string | null; active: number; now: number }>(`
    INSERT INTO staff(id, name, pin_hash, active, created_at, updated_at)
    VALUES (:id, :name, :pinHash, :active, max(:now, ifnull((SELECT max(created_at) + 1 FROM staff), :now)), :now)`);

  return {
    list: () =>
      list
        .all()
        .map(toRecord)
        .sort((a, b) => a.createdAt - b.createdAt),
    get: (id) => {
      const row = byId.get(id);
      return row && toRecord(row);
    },
    create(member) {
      insert.run({ id: member.id, name: member.name.trim(), pinHash: member.pinHash, active: member.active === false ? 0 : 1, now: now() });
      return toRecord(byId.get(member.id)!);
    },
  };
}
