/**
 * Every failure of a Graph API call as one typed value: Meta's error bodies (REFERENCE §5) and the failures
 * that happen on our side of the wire (no network, no answer in time, an answer we do not understand).
 *
 * The table below is the single place that says, for a Meta error code, what kind of failure it is, whether
 * the outbox may retry it, and the English sentence staff see ("131047: the 24-hour window has closed — send
 * a template"). Retryability follows REFERENCE §5's "retry?" column exactly; codes it does not list fall back
 * on the HTTP status and Meta's `is_transient` hint.
 */
import type { FieldIssue } from '../../../shared/ipc';

export type GraphErrorKind = 'auth' | 'permission' | 'throttle' | 'window_closed' | 'invalid' | 'network' | 'timeout' | 'server';

/** Failures that carry no Meta code: they happen before, around or after Meta's answer. */
export type GraphLocalCode =
  | 'graph_bad_response' // Meta answered 2xx in a shape we do not know
  | 'graph_http_error' // a non-2xx answer without a Graph error body (a proxy's HTML page, a bare 502)
  | 'graph_network' // no connection, or the connection broke
  | 'graph_timeout' // no complete answer within the call's time limit
  | 'graph_no_token' // the workspace has no access token
  | 'graph_no_app_id' // the resumable upload API needs the Meta app id
  | 'graph_invalid_request' // a request we built fails Meta's rules: not sent
  | 'graph_media_too_large' // a download over the caller's size cap
  | 'graph_untrusted_media_url'; // a media URL on a host we will not send the token to

export type GraphErrorCode = number | GraphLocalCode;

interface Row {
  /** Exact codes or inclusive ranges, matched against the error code. */
  codes?: ReadonlyArray<number | readonly [number, number]>;
  /** Matched against `error_subcode` first: template-management errors arrive as code 100 + 2388xxx. */
  subcodes?: ReadonlyArray<number | readonly [number, number]>;
  kind: GraphErrorKind;
  retryable: boolean;
  text: string;
  /** Meta's `error_data.details` says which parameter or rule: worth appending for staff. */
  withDetails?: boolean;
}

/** REFERENCE §5, most specific first (subcodes, exact codes, then ranges). */
const table: readonly Row[] = [
  // Graph's "object does not exist or cannot be loaded": on "Test connection" it means a wrong id.
  { subcodes: [33], kind: 'invalid', retryable: false, text: 'no object with this id — check the phone-number id and Business Account id, and that the token may use them' },
  { subcodes: [2388024], kind: 'invalid', retryable: false, text: 'a template with this name already exists in this language' },
  { subcodes: [2388019], kind: 'invalid', retryable: false, text: 'the Business Account has reached its template limit' },
  { subcodes: [2388040], kind: 'invalid', retryable: false, text: 'a template field is longer than Meta allows', withDetails: true },
  { subcodes: [2388299], kind: 'invalid', retryable: false, text: 'template variables may not start or end the text or sit next to each other' },
  { subcodes: [2388293], kind: 'invalid', retryable: false, text: 'the template has too many variables for its length' },
  { subcodes: [[2388000, 2388999]], kind: 'invalid', retryable: false, text: 'Meta refused the template', withDetails: true },

  { codes: [0], kind: 'auth', retryable: false, text: 'Meta could not authenticate the app user — the access token was invalidated; enter a new one' },
  { codes: [190], kind: 'auth', retryable: false, text: 'the access token has expired or was revoked — enter a new one' },
  { codes: [3, 10, [200, 299], 131005], kind: 'permission', retryable: false, text: 'the access token lacks a permission this needs', withDetails: true },
  { codes: [4], kind: 'throttle', retryable: true, text: 'the app made too many API calls — slowing down and retrying' },
  { codes: [80007], kind: 'throttle', retryable: true, text: 'the Business Account reached its hourly API call limit — retrying later' },
  { codes: [130429], kind: 'throttle', retryable: true, text: 'the number reached its message throughput limit — slowing down and retrying' },
  { codes: [131056], kind: 'throttle', retryable: true, text: 'too many messages to this customer in a short time — retrying after a pause' },
  { codes: [131048], kind: 'throttle', retryable: false, text: 'the number is restricted after spam reports — wait before sending more' },
  { codes: [131064], kind: 'permission', retryable: false, text: 'messaging is limited for template-classification violations until the enforcement period ends' },
  { codes: [1], kind: 'server', retryable: true, text: 'Meta reported an unknown error — retrying' },
  { codes: [2], kind: 'server', retryable: true, text: 'Meta’s service is temporarily unavailable — retrying' },
  { codes: [131000], kind: 'server', retryable: true, text: 'something went wrong at Meta — retrying' },
  { codes: [131016], kind: 'server', retryable: true, text: 'Meta’s service is overloaded — retrying' },
  { codes: [133004], kind: 'server', retryable: true, text: 'Meta’s server is temporarily unavailable — retrying' },
  { codes: [131057], kind: 'server', retryable: true, text: 'the account is in maintenance mode for a minute — retrying' },
  { codes: [100], kind: 'invalid', retryable: false, text: 'Meta refused a parameter of the request', withDetails: true },
  { codes: [131008], kind: 'invalid', retryable: false, text: 'a required parameter is missing', withDetails: true },
  { codes: [131009], kind: 'invalid', retryable: false, text: 'a parameter value is not valid', withDetails: true },
  { codes: [131021], kind: 'invalid', retryable: false, text: 'the recipient is the business number itself' },
  { codes: [131026], kind: 'invalid', retryable: false, text: 'the message could not be delivered — the number may not be on WhatsApp or the app is too old' },
  { codes: [131047], kind: 'window_closed', retryable: false, text: 'the 24-hour window has closed — send a template' },
  { codes: [131049], kind: 'throttle', retryable: false, text: 'Meta held this marketing message back to protect engagement — do not resend within 24 hours' },
  { codes: [131050], kind: 'permission', retryable: false, text: 'the customer has opted out of marketing messages' },
  { codes: [131051], kind: 'invalid', retryable: false, text: 'this message type is not supported' },
  { codes: [131052], kind: 'invalid', retryable: false, text: 'the customer’s media could not be downloaded (it may be over 100 MB)' },
  { codes: [131053], kind: 'invalid', retryable: false, text: 'the media could not be uploaded — check its type and size', withDetails: true },
  { codes: [131042], kind: 'permission', retryable: false, text: 'there is a problem with the Business Account’s payment method' },
  { codes: [131045, 133010], kind: 'permission', retryable: false, text: 'the phone number is not registered with the Cloud API' },
  { codes: [131031], kind: 'permission', retryable: false, text: 'the Business Account is locked or restricted, or the two-step PIN is wrong' },
  { codes: [131037], kind: 'permission', retryable: false, text: 'the number needs an approved display name before it can send' },
  { codes: [131062], kind: 'invalid', retryable: false, text: 'this message cannot be sent to a contact known only by username' },
  { codes: [131063], kind: 'permission', retryable: false, text: 'marketing templates are disabled for this Business Account' },
  { codes: [130403], kind: 'permission', retryable: false, text: 'the business has blocked this customer' },
  { codes: [130497], kind: 'permission', retryable: false, text: 'the Business Account may not message customers in this country' },
  { codes: [368], kind: 'permission', retryable: false, text: 'the Business Account is restricted for a policy violation' },
  { codes: [132000], kind: 'invalid', retryable: false, text: 'the number of template parameters does not match the template' },
  { codes: [132001], kind: 'invalid', retryable: false, text: 'the template does not exist in this language or is not approved' },
  { codes: [132005], kind: 'invalid', retryable: false, text: 'the translated template text is too long' },
  { codes: [132007], kind: 'invalid', retryable: false, text: 'the template content violates WhatsApp policy' },
  { codes: [132012], kind: 'invalid', retryable: false, text: 'a template parameter has the wrong format', withDetails: true },
  { codes: [132015], kind: 'invalid', retryable: false, text: 'the template is paused for low quality' },
  { codes: [132016], kind: 'invalid', retryable: false, text: 'the template has been permanently disabled' },
  { codes: [132018], kind: 'invalid', retryable: false, text: 'a template parameter is not valid', withDetails: true },
  { codes: [133005, 133008, 133009, 133015, 133016], kind: 'invalid', retryable: false, text: 'registering the phone number failed — check the two-step PIN and try later', withDetails: true },
  // Whole families the reference calls permanent, for codes Meta adds later.
  { codes: [[132000, 132999]], kind: 'invalid', retryable: false, text: 'the template message could not be sent', withDetails: true },
  { codes: [[2388000, 2388999]], kind: 'invalid', retryable: false, text: 'Meta refused the template', withDetails: true },
];

function matches(list: Row['codes'], value: number | undefined): boolean {
  if (value === undefined || !list) return false;
  return list.some((entry) => (typeof entry === 'number' ? entry === value : value >= entry[0] && value <= entry[1]));
}

function findRow(code: number, subcode: number | undefined): Row | undefined {
  return table.find((row) => matches(row.subcodes, subcode)) ?? table.find((row) => matches(row.codes, code));
}

export interface MetaErrorClass {
  kind: GraphErrorKind;
  retryable: boolean;
  /** "131047: the 24-hour window has closed — send a template" */
  sentence: string;
}

/**
 * Classifies a Meta error code. Also used for the asynchronous errors in `statuses[].errors` and
 * `value.errors` of webhooks, so a failed status reads the same as a refused request.
 */
export function classifyMetaError(error: { code: number; subcode?: number; details?: string; title?: string; httpStatus?: number; isTransient?: boolean }): MetaErrorClass {
  const row = findRow(error.code, error.subcode);
  if (row) {
    const details = row.withDetails && error.details ? ` (${trimSentence(error.details)})` : '';
    return { kind: row.kind, retryable: row.retryable, sentence: `${error.code}: ${row.text}${details}` };
  }
  // Not in the reference: judge by the HTTP status and Meta's own hint.
  const status = error.httpStatus ?? 400;
  const kind: GraphErrorKind = status === 401 ? 'auth' : status === 403 ? 'permission' : status === 429 ? 'throttle' : status >= 500 ? 'server' : 'invalid';
  const retryable = error.isTransient === true || status === 429 || status >= 500;
  const said = error.details ?? error.title;
  return { kind, retryable, sentence: `${error.code}: Meta refused the request${said ? ` (${trimSentence(said)})` : ''}` };
}

function trimSentence(text: string): string {
  return text.trim().replace(/\.$/, '');
}

export interface GraphErrorInit {
  code: GraphErrorCode;
  kind: GraphErrorKind;
  retryable: boolean;
  sentence: string;
  subcode?: number;
  type?: string;
  fbtraceId?: string;
  httpStatus?: number;
  /** Meta's `error_data.details`: the most specific words Meta gives. */
  details?: string;
  /** Meta's `message`, e.g. "(#130429) Rate limit hit". */
  metaMessage?: string;
  /**
   * True when a POST may have been carried out although we saw no success: the connection broke or the time
   * ran out after the request left, or Meta accepted it and answered in a shape we do not know. A message
   * with this flag must be reconciled from status webhooks, never resent blindly.
   */
  maybeDelivered?: boolean;
  /** For `graph_invalid_request` and `graph_bad_response`: which fields. */
  fields?: FieldIssue[];
}

export class GraphError extends Error {
  readonly code: GraphErrorCode;
  readonly kind: GraphErrorKind;
  readonly retryable: boolean;
  readonly sentence: string;
  readonly subcode: number | undefined;
  readonly type: string | undefined;
  readonly fbtraceId: string | undefined;
  readonly httpStatus: number | undefined;
  readonly details: string | undefined;
  readonly metaMessage: string | undefined;
  readonly maybeDelivered: boolean;
  readonly fields: FieldIssue[] | undefined;

  constructor(init: GraphErrorInit) {
    super(init.sentence);
    this.name = 'GraphError';
    this.code = init.code;
    this.kind = init.kind;
    this.retryable = init.retryable;
    this.sentence = init.sentence;
    this.subcode = init.subcode;
    this.type = init.type;
    this.fbtraceId = init.fbtraceId;
    this.httpStatus = init.httpStatus;
    this.details = init.details;
    this.metaMessage = init.metaMessage;
    this.maybeDelivered = init.maybeDelivered ?? false;
    this.fields = init.fields;
  }

  /** Meta's numeric code, or undefined for a failure on our side of the wire. */
  get metaCode(): number | undefined {
    return typeof this.code === 'number' ? this.code : undefined;
  }

  /** What a log line may hold: codes and ids, never a request (which could hold a token or a customer's words). */
  toJSON(): Record<string, string | number | boolean | undefined> {
    return {
      code: this.code,
      subcode: this.subcode,
      kind: this.kind,
      retryable: this.retryable,
      httpStatus: this.httpStatus,
      fbtraceId: this.fbtraceId,
      maybeDelivered: this.maybeDelivered,
    };
  }
}

export function isGraphError(value: unknown): value is GraphError {
  return value instanceof GraphError;
}

/** A Graph error body (`{"error": {...}}`) as a GraphError. */
export function graphErrorFromMeta(
  error: { code: number; message?: string; type?: string; error_subcode?: number; fbtrace_id?: string; is_transient?: boolean; error_user_msg?: string; error_data?: { details?: string } },
  httpStatus: number | undefined,
): GraphError {
  const details = error.error_data?.details ?? error.error_user_msg;
  const classified = classifyMetaError({
    code: error.code,
    subcode: error.error_subcode,
    details,
    title: error.message,
    httpStatus,
    isTransient: error.is_transient,
  });
  return new GraphError({
    code: error.code,
    ...classified,
    subcode: error.error_subcode,
    type: error.type,
    fbtraceId: error.fbtrace_id,
    httpStatus,
    details,
    metaMessage: error.message,
  });
}

const localSentences: Record<GraphLocalCode, string> = {
  graph_bad_response: 'Meta answered in a form Frontdesk does not understand',
  graph_http_error: 'Meta’s server answered with an error page instead of an API answer',
  graph_network: 'The connection to Meta failed',
  graph_timeout: 'Meta did not answer in time',
  graph_no_token: 'No access token is set — enter it in the connection settings',
  graph_no_app_id: 'The Meta app id is not set — it is needed to upload profile photos and template media',
  graph_invalid_request: 'The request breaks one of Meta’s rules and was not sent',
  graph_media_too_large: 'The media file is larger than allowed and was not downloaded',
  graph_untrusted_media_url: 'Meta’s media link points to an unexpected server, so it was not downloaded',
};

/** A failure on our side of the wire. The sentence may be extended for the case (a POST that may have gone through). */
export function localGraphError(code: GraphLocalCode, init: Omit<GraphErrorInit, 'code' | 'sentence'> & { sentence?: string; extra?: string }): GraphError {
  const base = init.sentence ?? localSentences[code];
  const { extra, ...rest } = init;
  return new GraphError({ ...rest, code, sentence: extra ? `${base} — ${extra}` : base });
}
