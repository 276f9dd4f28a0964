/**
 * Posts the sandbox's webhooks to the receiver the way Meta does (REFERENCE §1.3–§1.4): `POST` with
 * `Content-Type: application/json` and `X-Hub-Signature-256` over the exact bytes; anything but a 200 (or no
 * receiver at all, or no answer within 20 s) keeps the body and tries again — at once, then less and less
 * often — until a bounded number of attempts has failed, when the event is dropped as Meta drops it after
 * 7 days. Each event is delivered on its own, so deliveries are unordered, as Meta's are.
 */
import { createWallClock } from '../../clock';
import type { ClockPort } from '../../ports';
import { signWebhook } from './payloads';
import type { SignedWebhook, WebhookBody } from './payloads';

/** After the first failure: at once, then less and less often (bounded; Meta keeps going for 7 days). */
export const defaultRetryDelaysMs: readonly number[] = [0, 5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 3 * 3_600_000];

export interface WebhookPosterOptions {
  /** The receiver's callback URL; null while there is none (the attempt counts as failed). */
  url: () => string | null;
  appSecret: string;
  fetch?: typeof globalThis.fetch;
  /** Runs the retry timers (virtual in tests and the demo); the wall clock by default. */
  clock?: ClockPort;
  /** Delay before retry n+1 after n failed attempts; its length bounds the retries. */
  retryDelaysMs?: readonly number[];
  /** Meta gives up on a request after about 20 s (real time: this is a network wait). */
  timeoutMs?: number;
}

export interface WebhookPosterStats {
  /** Events answered 200. */
  delivered: number;
  /** Attempts that failed (non-200, network error, no URL, timeout). */
  failedAttempts: number;
  /** Events given up on after the last retry. */
  dropped: number;
  /** Events not yet delivered nor dropped (in flight or waiting for a retry). */
  pending: number;
}

export interface WebhookPoster {
  /** Queues one event: a body (signed here) or an already signed one (posted byte for byte). */
  post(webhook: SignedWebhook | WebhookBody): void;
  stats(): WebhookPosterStats;
  /** Resolves when no request is on the wire (retries waiting on the clock do not count). */
  whenIdle(): Promise<void>;
  /** Cancels waiting retries; requests on the wire finish but are not retried. */
  stop(): void;
}

interface Delivery {
  webhook: SignedWebhook;
  failures: number;
}

function isSigned(webhook: SignedWebhook | WebhookBody): webhook is SignedWebhook {
  return 'bytes' in webhook && 'signature' in webhook;
}

export function createWebhookPoster(options: WebhookPosterOptions): WebhookPoster {
  const doFetch = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? createWallClock();
  const delays = options.retryDelaysMs ?? defaultRetryDelaysMs;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const waiting = new Set<() => void>();
  let idleWaiters: Array<() => void> = [];
  let inFlight = 0;
  let stopped = false;
  const stats = { delivered: 0, failedAttempts: 0, dropped: 0, pending: 0 };

  async function attempt(webhook: SignedWebhook): Promise<boolean> {
    const url = options.url();
    if (url === null) return false;
    try {
      const response = await doFetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': webhook.signature, 'User-Agent': 'facebookexternalua' },
        body: new Uint8Array(webhook.bytes),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.status === 200;
    } catch {
      return false;
    }
  }

  async function deliver(delivery: Delivery): Promise<void> {
    inFlight++;
    try {
      for (;;) {
        if (await attempt(delivery.webhook)) {
          stats.delivered++;
          stats.pending--;
          return;
        }
        stats.failedAttempts++;
        delivery.failures++;
        const delay = delays[delivery.failures - 1];
        if (delay === undefined || stopped) {
          stats.dropped++;
          stats.pending--;
          return;
        }
        if (delay > 0) {
          const cancel = clock.setTimer(delay, () => {
            waiting.delete(cancel);
            void deliver(delivery);
          });
          waiting.add(cancel);
          return;
        }
      }
    } finally {
      inFlight--;
      if (inFlight === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  return {
    post(webhook) {
      if (stopped) return;
      stats.pending++;
      void deliver({ webhook: isSigned(webhook) ? webhook : signWebhook(webhook, options.appSecret), failures: 0 });
    },
    stats: () => ({ ...stats }),
    whenIdle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    stop() {
      stopped = true;
      for (const cancel of waiting) cancel();
      stats.pending -= waiting.size;
      stats.dropped += waiting.size;
      waiting.clear();
    },
  };
}
