import type { AppInfo } from '../../../shared/ipc';
import type { ChannelHandlers } from '../dispatcher';
import type { CorePorts } from '../ports';

type AppChannels = Pick<ChannelHandlers, 'app:info' | 'app:ping'>;

function normalisePlatform(platform: string): AppInfo['platform'] {
  return platform === 'win32' || platform === 'darwin' || platform === 'linux' ? platform : 'other';
}

export function createAppHandlers(ports: Pick<CorePorts, 'host' | 'clock'>): AppChannels {
  return {
    'app:info': () => ({
      name: 'Frontdesk',
      version: ports.host.appVersion,
      platform: normalisePlatform(ports.host.platform),
      transport: ports.host.transport,
    }),
    'app:ping': ({ message }) => ({ message, at: ports.clock.now() }),
  };
}

/** Pushes `app:tick` every second of core's clock; returns the function that stops it. */
export function startTicker(ports: Pick<CorePorts, 'clock' | 'events'>, periodMs = 1000): () => void {
  let seq = 0;
  let cancel: (() => void) | null = null;
  const schedule = () => {
    cancel = ports.clock.setTimer(periodMs, () => {
      ports.events.emit('app:tick', { at: ports.clock.now(), seq: seq++ });
      schedule();
    });
  };
  schedule();
  return () => cancel?.();
}
