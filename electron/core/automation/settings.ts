import { autoRepliesSchema, defaultAutoReplies } from '../../../shared/rules/auto-replies';
import type { AutoReplies } from '../../../shared/rules/auto-replies';
import type { Archive } from '../archive';

/** Settings key of the greeting and away messages (inside the encrypted archive). */
const autoRepliesKey = 'automation.autoReplies';

/** The saved settings; the defaults (both off) when none were saved or what is stored no longer parses. */
export function readAutoReplies(archive: Archive): AutoReplies {
  const parsed = autoRepliesSchema.safeParse(archive.settings.get(autoRepliesKey));
  return parsed.success ? parsed.data : defaultAutoReplies;
}

export function writeAutoReplies(archive: Archive, settings: AutoReplies): void {
  archive.settings.set(autoRepliesKey, settings);
}

/** The computer's timezone: the default for business hours (PRODUCT §5). */
export function computerTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
