/**
 * Stable error codes: the renderer maps each to translated text (`errors.<code>`), tests assert on them,
 * and they never change meaning once shipped. Add new codes; never rename one.
 */
export const errorCodes = [
  'invalid_request', // the payload failed the channel's schema; `fields` names what is wrong
  'unknown_channel', // no such channel in the contract
  'forbidden_sender', // the request did not come from the app's own page
  'transport_unavailable', // the bridge to core is down (preview host reconnecting, core restarting)
  'internal', // a bug: logged with detail in core, shown to staff as a generic failure
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `websites.1`. Empty for the payload as a whole. */
  path: string;
  message: string;
}

export interface IpcError {
  code: ErrorCode;
  /** An English sentence for logs and developers; the UI shows the translated text for `code`. */
  message: string;
  fields?: FieldIssue[];
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}
