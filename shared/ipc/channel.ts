import { z } from 'zod';

/**
 * How a channel is declared (contract.ts and each feature's file beside it): name, request schema, response
 * type, and who may use it.
 */

/**
 * Who may use a channel: `always` (first start, unlock, app info) or `unlocked` — only while a workspace is
 * open and unlocked. Core refuses the rest with `locked` / `no_workspace_open`, so a locked window gets no data.
 */
export type ChannelAccess = 'always' | 'unlocked';

export interface ChannelDef<Req extends z.ZodType, Res> {
  request: Req;
  access: ChannelAccess;
  /** Phantom: carries the response type only. */
  readonly response?: Res;
}

/** `channel<Response>()(requestSchema, access)`: the response type is given, the request type comes from the schema. */
export function channel<Res>() {
  return <Req extends z.ZodType>(request: Req, access: ChannelAccess = 'unlocked'): ChannelDef<Req, Res> => ({ request, access });
}

/** Channels that take nothing. */
export const channelNone = z.undefined();
