import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { fieldIssues } from '../../shared/ipc';
import type { Logger } from '../../electron/core/logger';
import { tokensEqual } from './auth';
import { findTestControl, TestControlError } from './test-controls';
import type { TestControlContext, TestControlErrorCode } from './test-controls';

export interface TestControlRequest {
  name: string;
  token: string;
  origin: string;
  context: TestControlContext;
  logger: Logger;
  headers: OutgoingHttpHeaders;
}

const maxBodyBytes = 1024 * 1024;

/** `POST /__test/<name>`: token, then body (JSON, validated by the control's schema), then the control. */
export async function handleTestControl(request: IncomingMessage, response: ServerResponse, options: TestControlRequest): Promise<void> {
  const reply = (status: number, body: unknown, extra: OutgoingHttpHeaders = {}) => {
    const bytes = Buffer.from(JSON.stringify(body), 'utf8');
    response.writeHead(status, { ...options.headers, ...extra, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length });
    response.end(bytes);
  };
  const failWith = (status: number, code: TestControlErrorCode, message: string, extra?: OutgoingHttpHeaders, more?: object) =>
    reply(status, { ok: false, error: { code, message, ...more } }, extra);

  if (request.method !== 'POST') return failWith(405, 'method_not_allowed', 'Test controls take POST', { Allow: 'POST' });
  const given = request.headers['x-test-token'];
  if (typeof given !== 'string' || !tokensEqual(given, options.token)) {
    return failWith(401, 'unauthorized', 'The x-test-token header is missing or wrong');
  }
  // Tests call from Node (no Origin). A page cannot send x-test-token cross-origin without a preflight we never
  // answer, but refuse a foreign Origin outright anyway.
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== options.origin) return failWith(403, 'forbidden', 'Test controls refuse other origins');

  const control = findTestControl(options.name);
  if (!control) return failWith(404, 'not_found', `There is no test control named ${options.name.slice(0, 100)}`);

  const contentType = request.headers['content-type'] ?? '';
  const body = await readBody(request, maxBodyBytes);
  if (body === 'too-large') return failWith(413, 'payload_too_large', `Test control bodies are at most ${maxBodyBytes} bytes`);
  let input: unknown = {};
  if (body.length > 0) {
    if (!/^application\/json\s*(;|$)/i.test(contentType)) {
      return failWith(415, 'unsupported_media_type', 'Send the body as application/json');
    }
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      return failWith(400, 'invalid_request', 'The body is not JSON');
    }
  }
  const parsed = control.schema.safeParse(input);
  if (!parsed.success) {
    return failWith(400, 'invalid_request', `The body for ${options.name} is not valid`, undefined, { fields: fieldIssues(parsed.error.issues) });
  }
  try {
    const value = await control.handle(parsed.data, options.context);
    return reply(200, { ok: true, value: value ?? null });
  } catch (error) {
    if (error instanceof TestControlError) return failWith(error.status, error.code, error.message);
    options.logger.error('A test control failed', { control: options.name, error: error instanceof Error ? error.message : 'unknown' });
    return failWith(500, 'internal', 'The test control failed; see the host log');
  }
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
