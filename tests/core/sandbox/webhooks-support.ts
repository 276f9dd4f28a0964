/** Shared by the sandbox webhook tests: a local receiver that captures raw posts, and a checker. */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, onTestFinished } from 'vitest';
import { checkSignature } from '../../../electron/core/cloud/signature';
import { parseWebhookBody } from '../../../electron/core/cloud/webhook-schemas';
import type { SignedWebhook } from '../../../electron/core/sandbox/webhooks/payloads';

export const appSecret = 'sandbox-app-secret-0123456789abcdef';

export interface CapturedPost {
  bytes: Buffer;
  headers: IncomingHttpHeaders;
  answered: number;
}

/** A node:http receiver on port 0 that keeps every POST's raw bytes; `answer` chooses the status. */
export async function startCapture(answer: (index: number) => number = () => 200) {
  const posts: CapturedPost[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = answer(posts.length);
      posts.push({ bytes: Buffer.concat(chunks), headers: request.headers, answered: status });
      response.writeHead(status, { 'Content-Type': 'text/plain' });
      response.end(status === 200 ? 'EVENT_RECEIVED' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${port}/webhook`, posts };
}

/** The body passes the schemas that accept Meta's fixtures, and the signature verifies over the raw bytes. */
export function expectValid(bytes: Buffer, signature: string | string[] | undefined) {
  expect(checkSignature(bytes, signature, appSecret)).toBe('ok');
  const parsed = parseWebhookBody(bytes);
  if (!parsed.ok) throw new Error(`${parsed.code}: ${parsed.reason}`);
  return parsed.changes;
}

export function expectValidSigned(webhook: SignedWebhook) {
  return expectValid(webhook.bytes, webhook.signature);
}

type Value = { contacts?: Array<Record<string, unknown>>; messages?: Array<Record<string, unknown>>; statuses?: Array<Record<string, unknown>> };

/** The single change value of a sandbox webhook, as plain JSON. */
export function valueOf(bytes: Buffer): Value {
  const json = JSON.parse(bytes.toString('utf8')) as { entry: Array<{ changes: Array<{ value: Value }> }> };
  expect(json.entry).toHaveLength(1);
  expect(json.entry[0]!.changes).toHaveLength(1);
  return json.entry[0]!.changes[0]!.value;
}
