import { describe, expect, it } from 'vitest';
import { connectionSaveSchema } from '../../../shared/ipc/contract';
import {
  checkConnectionForm,
  emptyConnectionForm,
  firstProblemField,
  formFromView,
  isFormDirty,
  isRelayUrl,
  problemsFromFields,
  toSaveRequest,
} from '../../../renderer/src/utils/connection-form';
import type { ConnectionForm } from '../../../renderer/src/utils/connection-form';
import { connectionView } from '../support/fake-frontdesk';

const valid: ConnectionForm = {
  ...emptyConnectionForm(),
  phoneNumberId: '106540352242922',
  wabaId: '102290129340398',
  relayUrl: 'https://relay.example.com/frontdesk',
  accessToken: 'EAAGm0PX4ZCpsBAKZCZBzYx7example0token0value',
  appSecret: '0123456789abcdef0123456789abcdef',
};
const storedNone = { accessToken: false, appSecret: false };

/** Variations of a valid form: each either passes both the form's check and core's schema, or neither. */
const variations: Array<[string, Partial<ConnectionForm>]> = [
  ['valid', {}],
  ['app id given', { appId: '987654321012345' }],
  ['app id with letters', { appId: '98765abc' }],
  ['id too short', { phoneNumberId: '1234' }],
  ['id 30 digits', { wabaId: '1'.repeat(30) }],
  ['id 31 digits', { wabaId: '1'.repeat(31) }],
  ['id with spaces around', { phoneNumberId: '  106540352242922 ' }],
  ['id with a plus', { phoneNumberId: '+106540352242922' }],
  ['version v19.0', { graphVersion: 'v19.0' }],
  ['version v25', { graphVersion: 'v25' }],
  ['version 25.0', { graphVersion: '25.0' }],
  ['version v25.1', { graphVersion: 'v25.1' }],
  ['token 19 characters', { accessToken: 'x'.repeat(19) }],
  ['token 20 characters', { accessToken: 'x'.repeat(20) }],
  ['secret upper case', { appSecret: '0123456789ABCDEF0123456789ABCDEF' }],
  ['secret 31 characters', { appSecret: '0123456789abcdef0123456789abcde' }],
  ['secret not hex', { appSecret: '0123456789abcdef0123456789abcdeg' }],
  ['relay http', { relayUrl: 'http://relay.example.com' }],
  ['relay no scheme', { relayUrl: 'relay.example.com' }],
  ['relay with port and path', { relayUrl: 'https://relay.example.com:8443/a/b' }],
  ['relay HTTPS in capitals', { relayUrl: 'HTTPS://relay.example.com' }],
  ['relay with spaces around', { relayUrl: '  https://relay.example.com  ' }],
  ['relay https without slashes', { relayUrl: 'https:relay.example.com' }],
  ['relay ftp', { relayUrl: 'ftp://relay.example.com' }],
  ['relay http localhost', { relayUrl: 'http://localhost:8080' }],
  ['relay http LOCALHOST', { relayUrl: 'http://LOCALHOST:8080/relay' }],
  ['relay http 127.0.0.1', { relayUrl: 'http://127.0.0.1:5555' }],
  ['relay http [::1]', { relayUrl: 'http://[::1]:3000' }],
  ['relay http 127.0.0.2', { relayUrl: 'http://127.0.0.2:5555' }],
  ['relay http localhost.', { relayUrl: 'http://localhost.:8080' }],
  ['relay http localhost as a subdomain', { relayUrl: 'http://localhost.example.com' }],
  ['relay code 64', { relayCode: 'c'.repeat(64) }],
  ['relay code 65', { relayCode: 'c'.repeat(65) }],
  ['desk name 80 with a code', { relayCode: 'ABCD-EFGH', relayDeskName: 'd'.repeat(80) }],
  ['desk name 81 with a code', { relayCode: 'ABCD-EFGH', relayDeskName: 'd'.repeat(81) }],
  ['desk name 81 without a code (not sent)', { relayDeskName: 'd'.repeat(81) }],
  ['direct 1024', { webhookMode: 'direct', directPort: '1024' }],
  ['direct 65535', { webhookMode: 'direct', directPort: '65535' }],
  ['direct 1023', { webhookMode: 'direct', directPort: '1023' }],
  ['direct 65536', { webhookMode: 'direct', directPort: '65536' }],
  ['direct 80.5', { webhookMode: 'direct', directPort: '80.5' }],
];

describe('connection form checks', () => {
  it.each(variations)('agree with core’s schema: %s', (_name, change) => {
    const form = { ...valid, ...change };
    const passes = firstProblemField(checkConnectionForm(form, storedNone)) === null;
    // What the form holds, sent as it is (toSaveRequest drops a hidden mode's invalid value; this does not).
    const raw = {
      ...toSaveRequest(form),
      relayUrl: form.relayUrl.trim(),
      directPort: form.webhookMode === 'direct' ? Number(form.directPort) : null,
      relayPairingCode: form.relayCode,
    };
    const schema = connectionSaveSchema.safeParse(raw);
    expect(schema.success, JSON.stringify(schema.error?.issues)).toBe(passes);
    if (passes) expect(connectionSaveSchema.safeParse(toSaveRequest(form)).success).toBe(true);
  });

  it('rejects exactly the variations the schema would refuse', () => {
    const refused = variations
      .filter(([, change]) => firstProblemField(checkConnectionForm({ ...valid, ...change }, storedNone)) !== null)
      .map(([name]) => name);
    expect(refused).toEqual([
      'app id with letters',
      'id too short',
      'id 31 digits',
      'id with a plus',
      'version v25',
      'version 25.0',
      'version v25.1',
      'token 19 characters',
      'secret 31 characters',
      'secret not hex',
      'relay http',
      'relay no scheme',
      'relay https without slashes',
      'relay ftp',
      'relay http 127.0.0.2',
      'relay http localhost.',
      'relay http localhost as a subdomain',
      'relay code 65',
      'desk name 81 with a code',
      'direct 1023',
      'direct 65536',
      'direct 80.5',
    ]);
  });

  it('takes a relay on this computer over http, and anything else only over https', () => {
    expect(isRelayUrl('https://relay.example.com/frontdesk')).toBe(true);
    expect(isRelayUrl('http://127.0.0.1:8080')).toBe(true);
    expect(isRelayUrl('http://[0:0:0:0:0:0:0:1]:8080')).toBe(true);
    expect(isRelayUrl('http://relay.example.com')).toBe(false);
    expect(isRelayUrl('https://')).toBe(false);
    expect(isRelayUrl('https://a b.example.com')).toBe(false);
    expect(isRelayUrl('')).toBe(false);
    expect(toSaveRequest({ ...valid, relayUrl: 'http://localhost:8080' }).relayUrl).toBe('http://localhost:8080');
    expect(toSaveRequest({ ...valid, webhookMode: 'direct', directPort: '8443', relayUrl: 'http://relay.example.com' }).relayUrl).toBe('');
  });

  it('needs the secrets only when none is stored', () => {
    const form = { ...valid, accessToken: '', appSecret: '' };
    expect(checkConnectionForm(form, storedNone)).toEqual({ accessToken: 'tokenRequired', appSecret: 'secretRequired' });
    expect(checkConnectionForm(form, { accessToken: true, appSecret: true })).toEqual({});
    expect(toSaveRequest(form)).not.toHaveProperty('accessToken');
    expect(toSaveRequest(form)).not.toHaveProperty('appSecret');
  });

  it('is clean right after filling from core’s view, and dirty once anything is typed', () => {
    const view = connectionView({ configured: true, phoneNumberId: '106540352242922', wabaId: '102290129340398', directPort: 8443 });
    const form = formFromView(view);
    expect(isFormDirty(form, view)).toBe(false);
    expect(isFormDirty({ ...form, appSecret: 'x' }, view)).toBe(true);
    expect(isFormDirty({ ...form, directPort: '8444' }, view)).toBe(true);
    expect(isFormDirty(emptyConnectionForm(), null)).toBe(false);
  });

  it('maps core’s field paths back to the inputs', () => {
    expect(
      problemsFromFields([
        { path: 'relayPairingCode', message: 'too long' },
        { path: 'directPort', message: 'too small' },
        { path: '', message: 'whole payload' },
        { path: 'somethingElse', message: '?' },
      ]),
    ).toEqual({ relayCode: 'tooLong', directPort: 'port' });
  });
});
