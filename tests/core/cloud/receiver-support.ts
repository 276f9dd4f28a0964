/**
 * Helpers for the webhook receiver tests (and the ingest benchmark): Meta's real webhook payloads read from
 * ../shared/cloud-api/fixtures (never copied), Meta's signing and `\uXXXX` escaping, and a tiny HTTP client.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { Agent, OutgoingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { signBody } from '../../../electron/core/cloud/signature';

export const repoRoot = join(import.meta.dirname, '../../..');
export const fixturesDir = join(repoRoot, '../shared/cloud-api/fixtures');

export interface WebhookFixture {
  name: string;
  bytes: Buffer;
}

/** Every `webhook-*.json` fixture as its file's bytes, or null when the fixtures folder is not there. */
export function loadWebhookFixtures(): WebhookFixture[] | null {
  if (!existsSync(fixturesDir)) return null;
  const names = readdirSync(fixturesDir).filter((n) => /^webhook-.*\.json$/.test(n)).sort();
  if (names.length === 0) return null;
  return names.map((name) => ({ name, bytes: readFileSync(join(fixturesDir, name)) }));
}

/**
 * What Meta puts on the wire: compact JSON with every non-ASCII UTF-16 code unit escaped as lowercase
 * `\uXXXX` (REFERENCE §1.3), e.g. `你好` → `\u4f60\u597d`, an emoji → its surrogate pair.
 */
export function metaEncode(value: unknown): Buffer {
  const json = JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return Buffer.from(json, 'utf8');
}

export const testAppSecret = 'test-app-secret-0123456789abcdef';
export const testVerifyToken = 'verify-token-XYZ';

export function signed(body: Buffer, secret = testAppSecret): OutgoingHttpHeaders {
  return { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(body, secret) };
}

export interface HttpResult {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

/** One HTTP request; resolves with the response (an early response to a request still being sent counts). */
export function httpRequest(url: string, options: { method?: string; headers?: OutgoingHttpHeaders; body?: Buffer; agent?: Agent | false } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export function postWebhook(url: string, body: Buffer, headers: OutgoingHttpHeaders = signed(body), agent?: Agent): Promise<HttpResult> {
  return httpRequest(url, { method: 'POST', headers, body, agent });
}

export interface TextWebhookOptions {
  /** The customer's number (wa_id) and profile name. */
  from?: string;
  name?: string;
  /** Meta's timestamp in seconds (default: a fixed day in 2025, long outside any 24-hour window). */
  timestampSeconds?: number;
  /** The business number it was sent to (default: Meta's examples' ids, the sandbox's too). */
  number?: { phoneNumberId: string; wabaId: string };
}

/** A small, realistic text-message webhook in Meta's shape (escaped as Meta sends it), distinct per `n`. */
export function textWebhook(n: number, text = `hello ${n}`, options: TextWebhookOptions = {}): Buffer {
  const from = options.from ?? '16505551234';
  return metaEncode({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: options.number?.wabaId ?? '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: options.number?.phoneNumberId ?? '106540352242922' },
              contacts: [{ profile: { name: options.name ?? 'Sheena Nelson' }, wa_id: from }],
              messages: [
                { from, id: `wamid.TEST${String(n).padStart(8, '0')}`, timestamp: String(options.timestampSeconds ?? 1749416383), type: 'text', text: { body: text } },
              ],
            },
          },
        ],
      },
    ],
  });
}
