import { channels, fail, fieldIssues, isChannelName, ok } from '../../shared/ipc';
import type { ChannelName, ParsedRequestOf, ResponseOf, Result } from '../../shared/ipc';
import { AppError } from './errors';
import type { Logger } from './logger';

export type ChannelHandler<C extends ChannelName> = (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
export type ChannelHandlers = { [C in ChannelName]: ChannelHandler<C> };
export type Dispatch = (channel: unknown, payload: unknown) => Promise<Result<unknown>>;

/** Answers whether data may flow now; throws `locked` / `no_workspace_open` when not. */
export type AccessGuard = () => void;

/** Core's single entry for requests from any transport: checks the channel and access, validates, runs, wraps. */
export function createDispatcher(handlers: ChannelHandlers, logger: Logger, requireUnlocked: AccessGuard = () => {}): Dispatch {
  return async (channel, payload) => {
    if (!isChannelName(channel)) return fail('unknown_channel', `There is no channel named ${String(channel).slice(0, 80)}`);
    if (channels[channel].access === 'unlocked') {
      try {
        requireUnlocked();
      } catch (error) {
        if (error instanceof AppError) return fail(error.code, error.message);
        throw error;
      }
    }
    const parsed = channels[channel].request.safeParse(payload);
    if (!parsed.success) return fail('invalid_request', `The request to ${channel} is not valid`, fieldIssues(parsed.error.issues));
    try {
      const handler = handlers[channel] as (request: unknown) => unknown;
      return ok(await handler(parsed.data));
    } catch (error) {
      if (error instanceof AppError) return fail(error.code, error.message, error.fields, error.retryAfterMs, error.metaCode);
      logger.error('Unexpected failure in a channel handler', {
        channel,
        error: error instanceof Error ? `${error.name}: ${error.message}` : 'non-error thrown',
      });
      return fail('internal', 'Something went wrong inside Frontdesk; the details are in the log');
    }
  };
}
