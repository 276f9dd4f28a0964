import { createServer } from 'node:net';
import { errorOf } from './graph-test-server';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createGraphClient } from '../../../electron/core/cloud/graph-client';
import { startRecorder } from './graph-test-server';
import type { Answer } from './graph-test-server';

const ids = { phoneNumberId: '106540352242922', wabaId: '102290129340398' };
const text = { type: 'text', body: 'Your table is ready' } as const;

/** Short limits where the test waits for a timeout; generous ones where a timeout would be the wrong outcome. */
async function clientAgainst(answer: Answer, timeoutMs = 'hang' in answer || 'stallAfterHeaders' in answer ? 150 : 5_000) {
  const recorder = await startRecorder(() => answer);
  return { recorder, client: createGraphClient({ ...ids, baseUrl: recorder.baseUrl, accessToken: () => 't', timeoutMs }) };
}


describe('Graph client time limits and broken connections', () => {
  it('a send with no answer may have gone through: timeout, maybeDelivered, not retried blindly', async () => {
    const { client, recorder } = await clientAgainst({ hang: true });
    const error = await errorOf(client.send('+16505551234', text, { clientId: 'c1' }));
    expect(error).toMatchObject({ code: 'graph_timeout', kind: 'timeout', maybeDelivered: true, retryable: false, httpStatus: undefined });
    expect(error.sentence).toBe('Meta did not answer in time — the request may have gone through; wait for its status before sending again');
    expect(recorder.requests).toHaveLength(1);
  });

  it('a read with no answer is a plain timeout that may be retried', async () => {
    const { client } = await clientAgainst({ hang: true });
    expect(await errorOf(client.getPhoneNumber())).toMatchObject({ code: 'graph_timeout', kind: 'timeout', maybeDelivered: false, retryable: true });
  });

  it('a send accepted (200 headers) whose answer never finishes is a timeout after acceptance', async () => {
    const { client } = await clientAgainst({ stallAfterHeaders: 200 });
    expect(await errorOf(client.send('+16505551234', text, { clientId: 'c2' }))).toMatchObject({
      code: 'graph_timeout',
      maybeDelivered: true,
      retryable: false,
      httpStatus: 200,
    });
  });

  it('a send refused (4xx headers) whose answer never finishes was not carried out', async () => {
    const { client } = await clientAgainst({ stallAfterHeaders: 400 });
    expect(await errorOf(client.send('+16505551234', text, { clientId: 'c3' }))).toMatchObject({ code: 'graph_timeout', maybeDelivered: false, httpStatus: 400 });
  });

  it('a connection that could not be opened never reached Meta: safe to retry', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = createGraphClient({ ...ids, baseUrl: `http://127.0.0.1:${port}`, accessToken: () => 't', timeoutMs: 2_000 });
    const error = await errorOf(client.send('+16505551234', text, { clientId: 'c4' }));
    expect(error).toMatchObject({ code: 'graph_network', kind: 'network', maybeDelivered: false, retryable: true, details: 'ECONNREFUSED' });
    expect(error.sentence).toBe('The connection to Meta failed — check the network; it will be retried');
  });

  it('a connection dropped after the request was sent may have delivered a send', async () => {
    const { client } = await clientAgainst({ destroy: true });
    expect(await errorOf(client.send('+16505551234', text, { clientId: 'c5' }))).toMatchObject({ code: 'graph_network', maybeDelivered: true, retryable: false });
    expect(await errorOf(client.getPhoneNumber())).toMatchObject({ code: 'graph_network', maybeDelivered: false, retryable: true });
  });

  it('an error page without a Graph body is an HTTP error, retryable when the server failed', async () => {
    const gateway = await clientAgainst({ status: 502, text: '<html>Bad Gateway</html>' });
    expect(await errorOf(gateway.client.getPhoneNumber())).toMatchObject({ code: 'graph_http_error', kind: 'server', retryable: true, httpStatus: 502 });
    const missing = await clientAgainst({ status: 404, text: 'Not Found' });
    expect(await errorOf(missing.client.getPhoneNumber())).toMatchObject({ code: 'graph_http_error', kind: 'invalid', retryable: false, httpStatus: 404 });
  });
});
