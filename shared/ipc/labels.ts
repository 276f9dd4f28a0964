/**
 * Labels (PRODUCT §8): types, request schemas, channels and events. `contract.ts` spreads the channels and events into
 * the one contract.
 */

export const labelChannels = {} as const;

export const labelEvents = {} as const;
