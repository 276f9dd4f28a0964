/**
 * Who is at the desk (PRODUCT §2 staff profiles). Every message sent records its sender, so a workspace
 * always has someone: "Front desk" is created when it opens with nobody. The current member is kept in the
 * archive's settings (per workspace, shared by whoever uses this desk).
 *
 * The 4-digit PIN is a desk convenience on a shared computer, not a secret from whoever holds the archive
 * key (10,000 values): it is hashed with Argon2id at libsodium's minimum cost, so switching is instant.
 */
import { randomUUID } from 'node:crypto';
import type { StaffState } from '../../../shared/ipc';
import type { Archive } from '../archive';
import { AppError } from '../errors';
import { loadSodium } from '../vault/sodium';

const currentKey = 'staff.currentId';
export const defaultStaffName = 'Front desk';

/** Creates "Front desk" when nobody exists, and points "current" at someone active. Returns the current id. */
export function ensureDeskStaff(archive: Archive): string {
  return archive.transaction(() => {
    let members = archive.staff.list();
    if (members.length === 0) {
      archive.staff.create({ id: randomUUID(), name: defaultStaffName, pinHash: null });
      members = archive.staff.list();
    }
    const current = archive.settings.get(currentKey);
    const valid = members.find((m) => m.id === current && m.active);
    if (valid) return valid.id;
    const first = members.find((m) => m.active) ?? members[0]!;
    archive.settings.set(currentKey, first.id);
    return first.id;
  });
}

/** The member whose name goes on what is sent now. */
export function currentStaffId(archive: Archive): string {
  const current = archive.settings.get(currentKey);
  if (typeof current === 'string' && archive.staff.get(current)?.active) return current;
  return ensureDeskStaff(archive);
}

export function staffState(archive: Archive): StaffState {
  const currentId = currentStaffId(archive);
  return {
    members: archive.staff.list().map((m) => ({ id: m.id, name: m.name, hasPin: m.pinHash !== null, active: m.active })),
    currentId,
  };
}

export async function createStaffMember(archive: Archive, input: { name: string; pin?: string }): Promise<StaffState> {
  const name = input.name.trim();
  const taken = archive.staff.list().some((m) => m.name.toLocaleLowerCase() === name.toLocaleLowerCase());
  if (taken) throw new AppError('invalid_request', 'Someone on the staff already has this name', [{ path: 'name', message: 'taken' }]);
  let pinHash: string | null = null;
  if (input.pin !== undefined) {
    const sodium = await loadSodium();
    pinHash = sodium.crypto_pwhash_str(input.pin, sodium.crypto_pwhash_OPSLIMIT_MIN, sodium.crypto_pwhash_MEMLIMIT_MIN);
  }
  archive.staff.create({ id: randomUUID(), name, pinHash });
  return staffState(archive);
}

export async function switchStaff(archive: Archive, input: { staffId: string; pin?: string }): Promise<StaffState> {
  const member = archive.staff.get(input.staffId);
  if (!member || !member.active) throw new AppError('not_found', 'There is no such staff member');
  if (member.pinHash !== null) {
    const sodium = await loadSodium();
    if (input.pin === undefined || !sodium.crypto_pwhash_str_verify(member.pinHash, input.pin)) {
      throw new AppError('wrong_pin', 'The PIN is not right', [{ path: 'pin', message: 'wrong' }]);
    }
  }
  archive.settings.set(currentKey, member.id);
  return staffState(archive);
}
