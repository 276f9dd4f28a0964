/**
 * The privacy services across the workspace's life (create-core wires these to the workspace manager): one
 * services object per open archive, the daily run (retention and the inbox scrub) from the moment a
 * workspace opens until just before it closes — locked or not, like the rest of core's work —, and the unlock
 * failures counted while locked or closed written to the audit log at the next successful unlock.
 */
import type { Archive, MediaStore } from '../archive';
import type { Logger } from '../logger';
import type { ClockPort, SettingsPort } from '../ports';
import { createPrivacyServices } from './privacy-services';
import type { PrivacyServices } from './privacy-services';
import type { DailySchedule } from './schedule';

export interface PrivacyRuntimeDeps {
  settings: SettingsPort;
  clock: ClockPort;
  logger: Logger;
  /** The open workspace's media store, or null while none runs. */
  media: () => MediaStore | null;
  /** The wait after opening before a due daily run (default: the schedule's minute). */
  startDelayMs?: number;
}

export interface PrivacyRuntime {
  /** The services of this archive (made once per archive). */
  of(archive: Archive): PrivacyServices;
  /** A workspace's archive opened and its services run: the daily run starts. */
  opened(archive: Archive): void;
  /** Before the archive closes: the daily run stops. */
  closing(): void;
  /** A successful unlock: the failures counted meanwhile become one audit entry. Never throws. */
  unlocked(workspaceId: string, archive: Archive): Promise<void>;
  /** When the daily run is due next; null when none is scheduled. */
  nextRunAt(): number | null;
}

export function createPrivacyRuntime(deps: PrivacyRuntimeDeps): PrivacyRuntime {
  const services = new WeakMap<Archive, PrivacyServices>();
  let daily: DailySchedule | null = null;

  function of(archive: Archive): PrivacyServices {
    let found = services.get(archive);
    if (!found) {
      found = createPrivacyServices({ archive, media: deps.media, settings: deps.settings, clock: deps.clock, logger: deps.logger });
      services.set(archive, found);
    }
    return found;
  }

  return {
    of,
    opened(archive) {
      daily?.stop();
      daily = of(archive).startDaily(deps.startDelayMs !== undefined ? { startDelayMs: deps.startDelayMs } : {});
    },
    closing() {
      daily?.stop();
      daily = null;
    },
    async unlocked(workspaceId, archive) {
      try {
        await of(archive).recordUnlockFailures(workspaceId);
      } catch (error) {
        // The count stays in the settings store: the next unlock writes it.
        deps.logger.error('Writing the failed unlock attempts to the audit log failed', { error: error instanceof Error ? error.message : 'unknown' });
      }
    },
    nextRunAt: () => daily?.nextRunAt ?? null,
  };
}
