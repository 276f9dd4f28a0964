/** A tiny HTTP server on 127.0.0.1 that records what the Graph client sends and answers as a test says. */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, onTestFinished } from 'vitest';
import { GraphError } from '../../../electron/core/cloud/graph-errors';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json(): unknown;
}

export type Answer =
  | { status?: number; json: unknown }
  | { status?: number; text: string; contentType?: string }
  | { status?: number; bytes: Uint8Array; contentType?: string }
  /** Never answer (the client's time limit ends it). */
  | { hang: true }
  /** Headers (with this status) and a first byte of the body, then silence. */
  | { stallAfterHeaders: number }
  /** Drop the connection without answering. */
  | { destroy: true };

export async function startRecorder(answer: (request: RecordedRequest, index: number) => Answer) {
  const requests: RecordedRequest[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://recorder.invalid');
      const body = Buffer.concat(chunks);
      const request: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        body,
        json: () => JSON.parse(body.toString('utf8')),
      };
      requests.push(request);
      const reply = answer(request, requests.length - 1);
      if ('hang' in reply) {
        open.add(response);
        return;
      }
      if ('destroy' in reply) {
        incoming.socket.destroy();
        return;
      }
      if ('stallAfterHeaders' in reply) {
        open.add(response);
        response.writeHead(reply.stallAfterHeaders, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
        response.write('{');
        return;
      }
      if ('json' in reply) {
        response.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json; charset=UTF-8' });
        response.end(JSON.stringify(reply.json));
      } else if ('text' in reply) {
        response.writeHead(reply.status ?? 200, { 'Content-Type': reply.contentType ?? 'text/html' });
        response.end(reply.text);
      } else {
        response.writeHead(reply.status ?? 200, { 'Content-Type': reply.contentType ?? 'application/octet-stream' });
        response.end(reply.bytes);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    for (const response of open) response.socket?.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  onTestFinished(close);
  return { baseUrl: `http://127.0.0.1:${port}`, requests, close };
}

/** The GraphError a call fails with (the test fails if it succeeds or throws something else). */
export async function errorOf(promise: Promise<unknown>): Promise<GraphError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(GraphError);
  return outcome as GraphError;
}
