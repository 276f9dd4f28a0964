import type { ConnectionView, RequestOf, WebhookMode } from '../../../shared/ipc/contract';
import type { FieldIssue } from '../../../shared/ipc/errors';

/**
 * The connection form as typed (all strings), its checks before sending, and the request built from it.
 * The checks mirror `connectionSaveSchema` in shared/ipc/contract.ts (a renderer test holds them to it), so a
 * form that passes here is not refused by core for its shape; the renderer does not bundle zod.
 */
export interface ConnectionForm {
  phoneNumberId: string;
  wabaId: string;
  appId: string;
  graphVersion: string;
  webhookMode: WebhookMode;
  /** Digits as typed; only sent in direct mode. */
  directPort: string;
  relayUrl: string;
  /** Write-only, used once: pairing this desk with the relay. Empty once paired. */
  relayCode: string;
  /** What the relay and the other desks call this desk; sent with a pairing code (empty: the computer's name). */
  relayDeskName: string;
  /** Empty keeps the stored token. */
  accessToken: string;
  /** Empty keeps the stored secret. */
  appSecret: string;
}

export type ConnectionField = keyof ConnectionForm;

/** The order the fields appear in, for focusing the first wrong one. */
export const connectionFields: readonly ConnectionField[] = [
  'phoneNumberId',
  'wabaId',
  'appId',
  'graphVersion',
  'accessToken',
  'appSecret',
  'webhookMode',
  'relayUrl',
  'relayCode',
  'relayDeskName',
  'directPort',
];

/** What can be wrong with a field; each has a sentence in `settings.connection.problems`. */
export type ConnectionProblem =
  | 'idRequired'
  | 'digits'
  | 'version'
  | 'tokenRequired'
  | 'tokenShort'
  | 'tooLong'
  | 'secretRequired'
  | 'hex32'
  | 'relayRequired'
  | 'https'
  | 'portRequired'
  | 'port'
  | 'invalid';

export type ConnectionProblems = Partial<Record<ConnectionField, ConnectionProblem>>;

export type ConnectionSaveRequest = RequestOf<'connection:save'>;

export const defaultGraphVersion = 'v25.0';

const metaIdPattern = /^\d{5,30}$/;
const graphVersionPattern = /^v\d{2}\.0$/;
const appSecretPattern = /^[0-9a-f]{32}$/i;
const minTokenLength = 20;
const maxTokenLength = 4096;
const maxRelayCodeLength = 64;
const maxDeskNameLength = 80;

export function emptyConnectionForm(): ConnectionForm {
  return {
    phoneNumberId: '',
    wabaId: '',
    appId: '',
    graphVersion: defaultGraphVersion,
    webhookMode: 'relay',
    directPort: '',
    relayUrl: '',
    relayCode: '',
    relayDeskName: '',
    accessToken: '',
    appSecret: '',
  };
}

/** The form as core's view fills it: secrets and the pairing code empty (they never come back). */
export function formFromView(view: ConnectionView): ConnectionForm {
  return {
    phoneNumberId: view.phoneNumberId,
    wabaId: view.wabaId,
    appId: view.appId,
    graphVersion: view.graphVersion || defaultGraphVersion,
    webhookMode: view.webhookMode,
    directPort: view.directPort === null ? '' : String(view.directPort),
    relayUrl: view.relayUrl,
    relayCode: '',
    relayDeskName: '',
    accessToken: '',
    appSecret: '',
  };
}

/** 1024–65535 from the typed digits; null when empty or not such a number. */
export function parsePort(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,5}$/.test(trimmed)) return null;
  const port = Number(trimmed);
  return port >= 1024 && port <= 65535 ? port : null;
}

/** The hosts a relay may be reached on over plain http: this computer only (a relay under test or in development). */
const localHosts = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * What the contract's `relayUrl` accepts: an absolute URL written with `https://` (any host), or with
 * `http://` on this computer only (127.0.0.1, localhost, [::1], however spelled: the URL parser normalises
 * `LOCALHOST`, `127.1` or `[0:0:0:0:0:0:0:1]` to those). Surrounding spaces are ignored, as the schema trims.
 */
export function isRelayUrl(text: string): boolean {
  const trimmed = text.trim();
  // Like zod's url check: the scheme must be followed by `//` (`https:relay.example.com` is refused).
  if (!/^https?:\/\//i.test(trimmed)) return false;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return false;
  }
  if (url.hostname === '') return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && localHosts.includes(url.hostname));
}

function checkId(value: string, required: boolean): ConnectionProblem | null {
  const trimmed = value.trim();
  if (trimmed === '') return required ? 'idRequired' : null;
  return metaIdPattern.test(trimmed) ? null : 'digits';
}

/**
 * Every problem of the form, by field. `stored` says which secrets core already holds: without one stored,
 * the field must be filled; with one, empty keeps it.
 */
export function checkConnectionForm(form: ConnectionForm, stored: { accessToken: boolean; appSecret: boolean }): ConnectionProblems {
  const problems: ConnectionProblems = {};
  const set = (field: ConnectionField, problem: ConnectionProblem | null) => {
    if (problem) problems[field] = problem;
  };

  set('phoneNumberId', checkId(form.phoneNumberId, true));
  set('wabaId', checkId(form.wabaId, true));
  set('appId', checkId(form.appId, false));
  set('graphVersion', graphVersionPattern.test(form.graphVersion.trim()) ? null : 'version');

  const token = form.accessToken.trim();
  if (token === '') set('accessToken', stored.accessToken ? null : 'tokenRequired');
  else if (token.length < minTokenLength) set('accessToken', 'tokenShort');
  else if (token.length > maxTokenLength) set('accessToken', 'tooLong');

  const secret = form.appSecret.trim();
  if (secret === '') set('appSecret', stored.appSecret ? null : 'secretRequired');
  else set('appSecret', appSecretPattern.test(secret) ? null : 'hex32');

  if (form.webhookMode === 'relay') {
    const url = form.relayUrl.trim();
    if (url === '') set('relayUrl', 'relayRequired');
    else set('relayUrl', isRelayUrl(url) ? null : 'https');
    if (form.relayCode.trim().length > maxRelayCodeLength) set('relayCode', 'tooLong');
    // The name goes with a pairing code only.
    if (form.relayCode.trim() !== '' && form.relayDeskName.trim().length > maxDeskNameLength) set('relayDeskName', 'tooLong');
  } else {
    if (form.directPort.trim() === '') set('directPort', 'portRequired');
    else set('directPort', parsePort(form.directPort) === null ? 'port' : null);
  }
  return problems;
}

/**
 * The request for a checked form. Secrets and the pairing code only when typed (omitted keeps the stored
 * ones). The other mode's setting is kept when it is still valid (switching back finds it), else cleared.
 */
export function toSaveRequest(form: ConnectionForm): ConnectionSaveRequest {
  const relayUrl = form.relayUrl.trim();
  const request: ConnectionSaveRequest = {
    phoneNumberId: form.phoneNumberId.trim(),
    wabaId: form.wabaId.trim(),
    appId: form.appId.trim(),
    graphVersion: form.graphVersion.trim(),
    webhookMode: form.webhookMode,
    directPort: parsePort(form.directPort),
    relayUrl: isRelayUrl(relayUrl) ? relayUrl : '',
  };
  const relayCode = form.relayCode.trim();
  if (form.webhookMode === 'relay' && relayCode !== '') {
    request.relayPairingCode = relayCode;
    const deskName = form.relayDeskName.trim();
    if (deskName !== '') request.relayDeskName = deskName;
  }
  const accessToken = form.accessToken.trim();
  if (accessToken !== '') request.accessToken = accessToken;
  const appSecret = form.appSecret.trim();
  if (appSecret !== '') request.appSecret = appSecret;
  return request;
}

/** Whether the form differs from what core holds: a changed setting, or any secret or code typed. */
export function isFormDirty(form: ConnectionForm, view: ConnectionView | null): boolean {
  const saved = view ? formFromView(view) : emptyConnectionForm();
  return connectionFields.some((field) => form[field].trim() !== saved[field].trim());
}

const requestFieldToForm: Record<string, ConnectionField> = {
  phoneNumberId: 'phoneNumberId',
  wabaId: 'wabaId',
  appId: 'appId',
  graphVersion: 'graphVersion',
  webhookMode: 'webhookMode',
  directPort: 'directPort',
  relayUrl: 'relayUrl',
  relayPairingCode: 'relayCode',
  relayDeskName: 'relayDeskName',
  accessToken: 'accessToken',
  appSecret: 'appSecret',
};

/** The problem to show under a field core refused: the field's own format sentence. */
const formatProblem: Record<ConnectionField, ConnectionProblem> = {
  phoneNumberId: 'digits',
  wabaId: 'digits',
  appId: 'digits',
  graphVersion: 'version',
  webhookMode: 'invalid',
  directPort: 'port',
  relayUrl: 'https',
  relayCode: 'tooLong',
  relayDeskName: 'tooLong',
  accessToken: 'tokenShort',
  appSecret: 'hex32',
};

/** Core's `invalid_request` field list (`relayPairingCode`, `directPort` …) → the form's fields. Unknown paths are left out. */
export function problemsFromFields(fields: readonly FieldIssue[] | undefined): ConnectionProblems {
  const problems: ConnectionProblems = {};
  for (const issue of fields ?? []) {
    const field = requestFieldToForm[issue.path.split('.')[0] ?? ''];
    if (field && !problems[field]) problems[field] = formatProblem[field];
  }
  return problems;
}

export function firstProblemField(problems: ConnectionProblems): ConnectionField | null {
  return connectionFields.find((field) => problems[field] !== undefined) ?? null;
}
