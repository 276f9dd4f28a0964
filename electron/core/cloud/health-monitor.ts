import type { HealthState } from '../../../shared/ipc';
import type { Archive } from '../archive';
import type { ClockPort } from '../ports';
import { readInboundHealth } from './inbound/health';
import type { PhoneQualityNotice } from './inbound/health';
import type { OutboxStatus } from './outbox';

/** Nothing to report: what the banners show with no workspace running. */
export const allClearHealth: HealthState = { offline: false, tokenRejected: false, webhooksSilent: false, relayUnreachable: false, qualityRating: null, alerts: [] };

/** Statuses for an accepted message normally arrive within seconds; 15 minutes of silence means a broken line. */
export const webhookSilenceMs = 15 * 60_000;

/**
 * The number's quality rating: the newer of the last "Test connection" reading and Meta's
 * `phone_number_quality_update` webhook. FLAGGED means the rating fell to low (RED) and UNFLAGGED that it
 * recovered; the other events (UPGRADE, DOWNGRADE, THROUGHPUT_UPGRADE, …) are about messaging limits and
 * leave the rating as it was read.
 */
export function currentQualityRating(
  tested: { qualityRating: string; checkedAt: number } | null,
  notice: Pick<PhoneQualityNotice, 'event' | 'at'> | null,
): string | null {
  const fromWebhook = notice?.event === 'FLAGGED' ? 'RED' : notice?.event === 'UNFLAGGED' ? 'GREEN' : null;
  if (fromWebhook && (!tested || notice!.at >= tested.checkedAt)) return fromWebhook;
  return tested?.qualityRating ?? null;
}

export interface HealthMonitorOptions {
  archive: Archive;
  clock: ClockPort;
  outboxStatus: () => OutboxStatus;
  qualityRating: () => string | null;
  /** Relay mode: whether the relay has not answered for a while (see relay-inbound). */
  relayUnreachable?: () => boolean;
  emit: (state: HealthState) => void;
}

/**
 * The health banners' state (PRODUCT §1), computed in core from what the runtime sees — never from the
 * renderer's clock: offline, token refused, webhooks silent while statuses are expected, quality, alerts.
 */
export function createHealthMonitor(options: HealthMonitorOptions) {
  const { clock } = options;
  let lastWebhookAt = clock.now();
  /** The oldest send Meta accepted since the last webhook arrived: statuses for it are expected. */
  let awaitingSince: number | null = null;
  let published = '';
  let cancelTimer: (() => void) | null = null;

  function state(): HealthState {
    const outbox = options.outboxStatus();
    const inbound = readInboundHealth(options.archive.settings);
    return {
      offline: outbox.offline,
      tokenRejected: outbox.paused === 'auth',
      webhooksSilent: awaitingSince !== null && clock.now() - awaitingSince >= webhookSilenceMs,
      relayUnreachable: options.relayUnreachable?.() ?? false,
      qualityRating: options.qualityRating(),
      alerts: [...inbound.accountAlerts]
        .sort((a, b) => b.at - a.at)
        .map((alert) => ({ type: alert.type, severity: alert.severity, description: alert.description, at: alert.at })),
    };
  }

  function refresh(): void {
    const next = state();
    const key = JSON.stringify(next);
    if (key === published) return;
    published = key;
    options.emit(next);
  }

  function schedule(): void {
    cancelTimer = clock.setTimer(60_000, () => {
      refresh();
      schedule();
    });
  }
  schedule();

  return {
    state,
    refresh,
    noteWebhook(): void {
      lastWebhookAt = clock.now();
      awaitingSince = null;
      refresh();
    },
    noteAccepted(): void {
      awaitingSince ??= clock.now();
    },
    lastWebhookAt: () => lastWebhookAt,
    stop(): void {
      cancelTimer?.();
    },
  };
}

export type HealthMonitor = ReturnType<typeof createHealthMonitor>;
