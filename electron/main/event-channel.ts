/** The one IPC channel core's events reach the page on; shared by main's forwarder and the preload. */
export const eventChannel = 'frontdesk:event';

/** What crosses on `eventChannel`: the contract's event name and its payload. */
export interface EventMessage {
  name: string;
  payload: unknown;
}
