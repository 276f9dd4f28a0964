import { describe, expect, it } from 'vitest';
import { errorOf } from './graph-test-server';
import { createGraphClient } from '../../../electron/core/cloud/graph-client';
import { classifyMetaError, graphErrorFromMeta } from '../../../electron/core/cloud/graph-errors';
import { graphErrorBodySchema } from '../../../electron/core/cloud/graph-schemas';
import { describeWithFixtures, fixture } from './graph-fixtures';
import { startRecorder } from './graph-test-server';

const ids = { phoneNumberId: '106540352242922', wabaId: '102290129340398' };


describeWithFixtures('Meta’s error fixtures as GraphErrors', () => {
  it('turns the 130429 example into a retryable throttle with every field', () => {
    const body = graphErrorBodySchema.parse(fixture('error-130429-rate-limit.json'));
    const error = graphErrorFromMeta(body.error, 400);
    expect(error).toMatchObject({
      code: 130429,
      subcode: 2494055,
      type: 'OAuthException',
      fbtraceId: 'Az8or2yhqkZfEZ-_4Qn_Bam',
      httpStatus: 400,
      retryable: true,
      kind: 'throttle',
      details: 'Cloud API message throughput has been reached.',
      metaMessage: '(#130429) Rate limit hit',
      sentence: '130429: the number reached its message throughput limit — slowing down and retrying',
      maybeDelivered: false,
    });
    expect(error.message).toBe(error.sentence);
    expect(error.metaCode).toBe(130429);
  });

  it('turns the 100 example into a permanent invalid-parameter error that quotes Meta’s details', () => {
    const body = graphErrorBodySchema.parse(fixture('error-100-invalid-parameter-mm-api.json'));
    const error = graphErrorFromMeta(body.error, 400);
    expect(error).toMatchObject({ code: 100, subcode: undefined, retryable: false, kind: 'invalid', fbtraceId: 'Ak6nxJSySLEJz32Ps-QiZ1t' });
    expect(error.sentence).toBe('100: Meta refused a parameter of the request (Message must be a template message)');
  });

  it('gives the same errors when the fixtures come over HTTP to the client', async () => {
    const recorder = await startRecorder((_request, index) =>
      index === 0 ? { status: 400, json: fixture('error-130429-rate-limit.json') } : { status: 400, json: fixture('error-100-invalid-parameter-mm-api.json') },
    );
    const client = createGraphClient({ ...ids, baseUrl: recorder.baseUrl, accessToken: () => 'token', timeoutMs: 5_000 });
    const throttled = await errorOf(client.send('+16505551234', { type: 'text', body: 'Hi' }, { clientId: 'c1' }));
    expect(throttled).toMatchObject({ code: 130429, retryable: true, kind: 'throttle', httpStatus: 400, fbtraceId: 'Az8or2yhqkZfEZ-_4Qn_Bam' });
    const invalid = await errorOf(client.send('+16505551234', { type: 'text', body: 'Hi' }, { clientId: 'c2' }));
    expect(invalid).toMatchObject({ code: 100, retryable: false, kind: 'invalid' });
  });
});

describe('the error table (REFERENCE §5)', () => {
  it('says 131047 in the words staff see', () => {
    expect(classifyMetaError({ code: 131047 })).toEqual({
      kind: 'window_closed',
      retryable: false,
      sentence: '131047: the 24-hour window has closed — send a template',
    });
  });

  it('marks an expired token as an auth failure, never retried', () => {
    expect(classifyMetaError({ code: 190, httpStatus: 401 })).toMatchObject({ kind: 'auth', retryable: false });
    expect(classifyMetaError({ code: 190 }).sentence).toBe('190: the access token has expired or was revoked — enter a new one');
    expect(classifyMetaError({ code: 0 }).kind).toBe('auth');
  });

  it('retries throttling and temporary failures', () => {
    for (const code of [130429, 131056, 80007, 4]) expect(classifyMetaError({ code })).toMatchObject({ kind: 'throttle', retryable: true });
    for (const code of [1, 2, 131000, 131016, 133004, 131057]) expect(classifyMetaError({ code })).toMatchObject({ kind: 'server', retryable: true });
  });

  it('never retries permanent errors, including 132xxx codes Meta has not documented', () => {
    const permanent = [0, 190, 100, 131008, 131009, 131021, 131026, 131047, 131048, 131049, 131050, 131051, 131052, 131053, 131042, 131045, 133010, 131031, 131037, 131062, 131063, 131064, 130403, 130497, 368, 3, 10, 200, 299, 131005, 132000, 132001, 132005, 132007, 132012, 132015, 132016, 132018, 132099, 133005, 2388024];
    for (const code of permanent) expect({ code, retryable: classifyMetaError({ code }).retryable }).toEqual({ code, retryable: false });
    expect(classifyMetaError({ code: 132099 }).kind).toBe('invalid');
    for (const code of [3, 10, 250, 131005]) expect(classifyMetaError({ code }).kind).toBe('permission');
  });

  it('reads template-creation subcodes before the general 100', () => {
    expect(classifyMetaError({ code: 100, subcode: 2388024 }).sentence).toBe('100: a template with this name already exists in this language');
    expect(classifyMetaError({ code: 100, subcode: 2388299 }).sentence).toMatch(/^100: template variables may not start/);
    expect(classifyMetaError({ code: 100, subcode: 2388777, details: 'Something new.' }).sentence).toBe('100: Meta refused the template (Something new)');
  });

  it('judges codes outside the table by HTTP status and Meta’s is_transient hint', () => {
    expect(classifyMetaError({ code: 987654, httpStatus: 503 })).toMatchObject({ kind: 'server', retryable: true });
    expect(classifyMetaError({ code: 987654, httpStatus: 400 })).toMatchObject({ kind: 'invalid', retryable: false });
    expect(classifyMetaError({ code: 987654, httpStatus: 400, isTransient: true }).retryable).toBe(true);
    expect(classifyMetaError({ code: 104, httpStatus: 401 }).kind).toBe('auth');
    expect(classifyMetaError({ code: 987654, details: 'Odd thing.' }).sentence).toBe('987654: Meta refused the request (Odd thing)');
  });

  it('logs as codes only', () => {
    const error = graphErrorFromMeta({ code: 131047, message: '(#131047) Re-engagement message', fbtrace_id: 'Atrace', error_data: { details: 'customer words' } }, 400);
    expect(JSON.stringify(error)).toBe(
      JSON.stringify({ code: 131047, kind: 'window_closed', retryable: false, httpStatus: 400, fbtraceId: 'Atrace', maybeDelivered: false }),
    );
  });
});
