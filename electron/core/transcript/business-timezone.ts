import type { Archive } from '../archive';
import { versionAt } from '../automation/hours';
import { automationStore } from '../automation/repositories/automation-store';
import { computerTimezone } from '../automation/settings';

/**
 * The timezone the business lives in at instant t: that of the business hours in force then (PRODUCT §5),
 * else of the newest hours saved, else the computer's. Transcripts, exports and retention months use it.
 */
export function businessTimezone(archive: Pick<Archive, 'db'>, at: number): string {
  const versions = automationStore(archive.db).hoursVersions();
  const version = versionAt(versions, at) ?? versions.at(-1) ?? null;
  return version?.hours.timezone ?? computerTimezone();
}

/** Whether Intl knows the zone (a typed-in or stored name may not be one). */
export function isKnownTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
