/**
 * What automation runs for an open workspace (locked or not: DESIGN "Lock"): automatic replies after each
 * batch of inbound messages, and the business's open/closed state pushed to the window when it changes.
 */
import type { HoursState } from '../../../shared/ipc/automation';
import type { Archive } from '../archive';
import type { Outbox } from '../cloud/outbox';
import type { Logger } from '../logger';
import type { ClockPort, EventSinkPort } from '../ports';
import { createAutoReplier } from './auto-replier';
import { hoursStateAt } from './hours';
import { automationStore } from './repositories/automation-store';
import { computerTimezone } from './settings';

export interface AutomationService {
  /** Inbound messages were stored: look at them (coalesced to once per turn of the event loop). */
  inboundStored(): void;
  /** The hours were saved: push the new state and re-arm the timer. */
  hoursChanged(): void;
  hoursState(): HoursState;
  stop(): void;
}

export interface AutomationServiceDeps {
  archive: Archive;
  outbox: () => Outbox | null;
  clock: Pick<ClockPort, 'now' | 'setTimer'>;
  events: Pick<EventSinkPort, 'emit'>;
  logger: Logger;
  businessName: () => string;
  /** Only the primary desk sends automatic replies (see auto-replier). */
  sendsReplies?: () => boolean;
}

/** Timers further out than this are re-armed when they fire (a clock change, a long sleep). */
const maxTimerMs = 24 * 60 * 60_000;

export function startAutomation(deps: AutomationServiceDeps): AutomationService {
  const store = automationStore(deps.archive.db);
  const fallbackTimezone = computerTimezone();
  const replier = createAutoReplier({
    archive: deps.archive,
    outbox: deps.outbox,
    now: () => deps.clock.now(),
    events: deps.events,
    logger: deps.logger,
    businessName: deps.businessName,
    fallbackTimezone,
    sendsReplies: deps.sendsReplies ?? (() => true),
  });
  let stopped = false;
  let scheduled = false;
  let cancelTimer: (() => void) | null = null;

  const hoursState = (): HoursState => hoursStateAt(store.hoursVersions(), deps.clock.now(), fallbackTimezone);

  function armHoursTimer(): void {
    cancelTimer?.();
    cancelTimer = null;
    if (stopped) return;
    const state = hoursState();
    if (state.nextChange === null) return;
    const delay = Math.min(maxTimerMs, Math.max(0, state.nextChange - deps.clock.now()));
    cancelTimer = deps.clock.setTimer(delay, () => {
      cancelTimer = null;
      pushHoursState();
    });
  }

  function pushHoursState(): void {
    if (stopped) return;
    deps.events.emit('hours:state', hoursState());
    armHoursTimer();
  }

  armHoursTimer();
  // Anything stored while the app was off (or before a crash) and still recent enough.
  replier.run();

  return {
    inboundStored() {
      if (scheduled || stopped) return;
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        if (!stopped) replier.run();
      });
    },
    hoursChanged: pushHoursState,
    hoursState,
    stop() {
      stopped = true;
      cancelTimer?.();
      cancelTimer = null;
    },
  };
}
