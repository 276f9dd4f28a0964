import { z } from 'zod';

/**
 * The one IPC contract. Every channel is declared here once — name (`domain:action`), request schema and
 * response type — and so is every event. The preload object, the main-process relay, core's dispatcher and
 * the preview host's bridge are all built from these declarations.
 */

export interface ChannelDef<Req extends z.ZodType, Res> {
  request: Req;
  /** Phantom: carries the response type only. */
  readonly response?: Res;
}

/** `channel<Response>()(requestSchema)`: the response type is given, the request type comes from the schema. */
export function channel<Res>() {
  return <Req extends z.ZodType>(request: Req): ChannelDef<Req, Res> => ({ request });
}

/** Channels that take nothing. */
const none = z.undefined();

export type Transport = 'electron' | 'preview';

export interface AppInfo {
  name: string;
  version: string;
  platform: 'win32' | 'darwin' | 'linux' | 'other';
  transport: Transport;
}

export interface Pong {
  message: string;
  /** Core's clock, ms since epoch. */
  at: number;
}

export const channels = {
  'app:info': channel<AppInfo>()(none),
  'app:ping': channel<Pong>()(z.object({ message: z.string().max(1000) }).strict()),
} as const;

export const events = {
  /** Core's heartbeat: proves events cross the transport, and carries core's clock. */
  'app:tick': z.object({ at: z.number(), seq: z.number().int().nonnegative() }),
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = NonNullable<Channels[C]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const channelNames = Object.keys(channels) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && Object.hasOwn(channels, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}
