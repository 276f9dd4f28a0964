import type { Result } from '../../shared/ipc';
import { createAppHandlers, startTicker } from './app/app-handlers';
import { createDispatcher } from './dispatcher';
import type { ChannelHandlers } from './dispatcher';
import { createLogger } from './logger';
import type { CorePorts } from './ports';

/** The whole application behind the IPC contract, built from ports; the same in the app, the preview host and tests. */
export interface Core {
  invoke(channel: unknown, payload: unknown): Promise<Result<unknown>>;
  close(): Promise<void>;
}

export function createCore(ports: CorePorts): Core {
  const logger = createLogger(ports.logger);
  const handlers: ChannelHandlers = {
    ...createAppHandlers(ports),
  };
  const dispatch = createDispatcher(handlers, logger);
  const stopTicker = startTicker(ports);
  let closed = false;
  logger.info('Core started', { transport: ports.host.transport });

  return {
    invoke: (channel, payload) => dispatch(channel, payload),
    async close() {
      if (closed) return;
      closed = true;
      stopTicker();
      logger.info('Core stopped');
    },
  };
}
