/**
 * Message templates (PRODUCT §9): types, request schemas, channels and events. `contract.ts` spreads the channels and events into
 * the one contract.
 */

export const templateChannels = {} as const;

export const templateEvents = {} as const;
