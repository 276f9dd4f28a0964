import type { AutomationLogPage, AutoRepliesView, HoursView } from '../../../shared/ipc/automation';
import { defaultBusinessHours } from '../../../shared/rules/business-hours';
import type { Archive } from '../archive';
import { contactDisplayName } from '../archive/display-name';
import type { ChannelHandlers } from '../dispatcher';
import type { ClockPort, EventSinkPort } from '../ports';
import { periodOfKey } from './auto-replies';
import type { AutomationService } from './automation-service';
import { dryRun } from './dry-run';
import { hoursStateAt, nextOpen, versionAt } from './hours';
import type { HoursVersion } from './hours';
import { automationStore } from './repositories/automation-store';
import { computerTimezone, readAutoReplies, writeAutoReplies } from './settings';

type AutomationChannels = 'hours:get' | 'hours:save' | 'automation:get' | 'automation:save' | 'automation:dry-run' | 'automation:log';

export interface AutomationHandlerDeps {
  archive: () => Archive;
  clock: Pick<ClockPort, 'now'>;
  events: Pick<EventSinkPort, 'emit'>;
  /** The running service of the open workspace (timers, live replies); null when none runs. */
  service: () => AutomationService | null;
  businessName: () => string;
}

/** A greeting's sample name in the live preview. */
const sampleName = 'Alex';

export function createAutomationHandlers(deps: AutomationHandlerDeps): Pick<ChannelHandlers, AutomationChannels> {
  const fallbackTimezone = computerTimezone();
  const store = () => automationStore(deps.archive().db);

  function hoursView(versions: HoursVersion[]): HoursView {
    const now = deps.clock.now();
    const current = versionAt(versions, now) ?? versions.at(-1) ?? null;
    return {
      hours: current?.hours ?? defaultBusinessHours(fallbackTimezone),
      effectiveFrom: current?.effectiveFrom ?? null,
      state: hoursStateAt(versions, now, fallbackTimezone),
      history: versions.map((v) => ({ id: v.id, effectiveFrom: v.effectiveFrom, timezone: v.hours.timezone })).reverse(),
    };
  }

  function repliesView(): AutoRepliesView {
    const archive = deps.archive();
    const versions = store().hoursVersions();
    const now = deps.clock.now();
    const opens = nextOpen(versions, now);
    return {
      settings: readAutoReplies(archive),
      preview: {
        name: sampleName,
        business: deps.businessName(),
        nextOpen: opens !== null && opens > now ? opens : null,
        timezone: versionAt(versions, now)?.hours.timezone ?? fallbackTimezone,
      },
    };
  }

  return {
    'hours:get': () => hoursView(store().hoursVersions()),
    'hours:save': (hours) => {
      store().addHoursVersion(hours, deps.clock.now());
      const service = deps.service();
      if (service) service.hoursChanged();
      else deps.events.emit('hours:state', hoursStateAt(store().hoursVersions(), deps.clock.now(), fallbackTimezone));
      return hoursView(store().hoursVersions());
    },
    'automation:get': () => repliesView(),
    'automation:save': (settings) => {
      writeAutoReplies(deps.archive(), settings);
      return repliesView();
    },
    'automation:dry-run': ({ settings, hours }) => {
      const now = deps.clock.now();
      const versions = store().hoursVersions();
      // Trying new hours: as if they had always been in force over the week looked at.
      const tried = hours ? [{ id: 0, effectiveFrom: Number.NEGATIVE_INFINITY, hours }] : versions;
      return dryRun(store(), { settings, hours: tried, now, business: deps.businessName(), fallbackTimezone });
    },
    'automation:log': ({ before, limit }): AutomationLogPage => {
      const rows = store().logPage(before ?? null, limit + 1);
      const more = rows.length > limit;
      const entries = rows.slice(0, limit).map((row) => ({
        id: row.id,
        kind: row.kind,
        at: row.at,
        contactId: row.contactId,
        contactName: contactDisplayName(row),
        conversationId: row.conversationId,
        inboundMessageId: row.inboundMessageId,
        inboundText: row.inboundText,
        messageId: row.messageId,
        text: row.text,
        status: row.status as AutomationLogPage['entries'][number]['status'],
        period: periodOfKey(row.periodKey),
      }));
      return { entries, nextBefore: more ? (entries.at(-1)?.id ?? null) : null };
    },
  };
}
