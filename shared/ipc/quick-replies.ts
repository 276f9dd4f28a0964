/**
 * Quick replies (PRODUCT §7): types, request schemas, channels and events. `contract.ts` spreads the channels and events into
 * the one contract.
 */

export const quickReplyChannels = {} as const;

export const quickReplyEvents = {} as const;
