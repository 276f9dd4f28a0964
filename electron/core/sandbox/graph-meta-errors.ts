/**
 * Meta's error answers as the sandbox gives them: the Graph error body of REFERENCE §5 (fixtures
 * `error-*.json`), with the messages Graph uses for the common cases.
 */
import type { z } from 'zod';
import type { SandboxReply } from './graph-types';

export interface MetaErrorSpec {
  code: number;
  message: string;
  type?: string;
  subcode?: number;
  details?: string;
  isTransient?: boolean;
  userTitle?: string;
  userMessage?: string;
}

export function metaError(status: number, spec: MetaErrorSpec, fbtraceId: string): SandboxReply {
  return {
    status,
    json: {
      error: {
        message: spec.message,
        type: spec.type ?? 'OAuthException',
        code: spec.code,
        ...(spec.details !== undefined ? { error_data: { messaging_product: 'whatsapp', details: spec.details } } : {}),
        ...(spec.subcode !== undefined ? { error_subcode: spec.subcode } : {}),
        ...(spec.isTransient !== undefined ? { is_transient: spec.isTransient } : {}),
        ...(spec.userTitle !== undefined ? { error_user_title: spec.userTitle } : {}),
        ...(spec.userMessage !== undefined ? { error_user_msg: spec.userMessage } : {}),
        fbtrace_id: fbtraceId,
      },
    },
  };
}

export const metaErrors = {
  badToken: (): MetaErrorSpec => ({ code: 190, message: 'Invalid OAuth access token - Cannot parse access token' }),
  noToken: (): MetaErrorSpec => ({ code: 104, message: 'An access token is required to request this resource.' }),
  unsupported: (method: string, id: string): MetaErrorSpec => ({
    code: 100,
    subcode: 33,
    type: 'GraphMethodException',
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
  }),
  unknownEdge: (edge: string): MetaErrorSpec => ({ code: 2500, message: `Unknown path components: /${edge}` }),
  unknownField: (field: string, nodeType: string): MetaErrorSpec => ({
    code: 100,
    message: `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`,
  }),
  invalidParameter: (details: string, subcode?: number): MetaErrorSpec => ({ code: 100, message: '(#100) Invalid parameter', details, subcode }),
  throughput: (): MetaErrorSpec => ({
    code: 130429,
    message: '(#130429) Rate limit hit',
    details: 'Cloud API message throughput has been reached.',
    subcode: 2494055,
  }),
  pairRate: (): MetaErrorSpec => ({
    code: 131056,
    message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    details: 'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
  }),
  unavailable: (): MetaErrorSpec => ({ code: 2, message: 'An unexpected error has occurred. Please retry your request later.', isTransient: true }),
  templateMissing: (name: string, language: string): MetaErrorSpec => ({
    code: 132001,
    message: '(#132001) Template name does not exist in the translation',
    details: `template name (${name}) does not exist in ${language}`,
  }),
  templateParams: (component: string, given: number, expected: number): MetaErrorSpec => ({
    code: 132000,
    message: '(#132000) Number of parameters does not match the expected number of params',
    details: `${component}: number of localizable_params (${given}) does not match the expected number of params (${expected})`,
  }),
  selfRecipient: (): MetaErrorSpec => ({ code: 131021, message: '(#131021) Recipient cannot be sender.', details: 'Sender and recipient phone number is the same.' }),
  mediaUpload: (details: string): MetaErrorSpec => ({ code: 131053, message: '(#131053) Media upload error', details }),
};

/** The async error of a message sent outside the 24-hour window, as its `failed` status webhook carries it. */
export function reEngagementFailure() {
  return {
    code: 131047,
    title: 'Re-engagement message',
    message: 'Re-engagement message',
    error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
    href: '/documentation/business-messaging/whatsapp/support/error-codes',
  };
}

/** Where a zod issue points in the body, in Graph's words (`text.body`). */
function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join('.') || 'body';
}

function valueAt(body: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = body;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A refused message body in the Cloud API's own codes: missing (131008), invalid (131009), unknown key (100). */
export function sendValidationError(body: unknown, error: z.ZodError): MetaErrorSpec {
  const issue = error.issues[0];
  if (!issue) return metaErrors.invalidParameter('Invalid parameter');
  if (issue.code === 'unrecognized_keys') {
    return metaErrors.invalidParameter(`Unexpected key "${issue.keys.join('", "')}" on param "${issuePath(issue)}".`);
  }
  if (issue.code === 'invalid_type' && valueAt(body, issue.path) === undefined) {
    return { code: 131008, message: '(#131008) Required parameter is missing', details: `Parameter '${issuePath(issue)}' is required.` };
  }
  return { code: 131009, message: '(#131009) Parameter value is not valid', details: `${issuePath(issue)}: ${issue.message}` };
}

/** A refused management request (profile, template): code 100, with Meta's subcode when the rule has one. */
export function managementValidationError(error: z.ZodError): MetaErrorSpec {
  const issue = error.issues[0];
  if (!issue) return metaErrors.invalidParameter('Invalid parameter');
  const subcode = issue.code === 'custom' ? (issue.params as { subcode?: number } | undefined)?.subcode : undefined;
  return metaErrors.invalidParameter(`Param ${issuePath(issue)}: ${issue.message}`, subcode);
}
