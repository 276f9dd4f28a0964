import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { fail } from '../../shared/ipc';
import type { Result } from '../../shared/ipc';
import type { Core } from '../../electron/core/create-core';
import type { EventHub } from '../../electron/core/node-ports';
import type { Logger } from '../../electron/core/logger';
import { decodeFrame, encodeFrame, parseRequestFrame } from './protocol';

export interface BridgeServerOptions {
  core: Core;
  events: EventHub;
  logger: Logger;
  /** Largest frame accepted, in bytes (attachments cross as base64 inside JSON). */
  maxPayload: number;
}

export interface BridgeServer {
  /** Completes a handshake the HTTP layer has already authorised. */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  readonly connections: number;
  /** Frames ignored because they were not JSON or not a request. */
  readonly badFrames: number;
  /** Drops every page's socket (they reconnect): for tests of reconnection. */
  dropAll(): void;
  close(): Promise<void>;
}

/** A page that stops reading gets dropped rather than buffered without bound; it reconnects. */
const maxBufferedBytes = 32 * 1024 * 1024;

function rawText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

export function createBridgeServer(options: BridgeServerOptions): BridgeServer {
  const { core, logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload, perMessageDeflate: false });
  const sockets = new Set<WebSocket>();
  let badFrames = 0;

  const countBadFrame = (reason: string) => {
    badFrames++;
    // The first few, then every hundredth: a misbehaving page cannot flood the log.
    if (badFrames <= 5 || badFrames % 100 === 0) logger.warn('Ignored a bad bridge frame', { reason, count: badFrames });
  };

  const send = (socket: WebSocket, text: string) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    if (socket.bufferedAmount > maxBufferedBytes) {
      logger.warn('Dropped a bridge connection that stopped reading', { buffered: socket.bufferedAmount });
      socket.terminate();
      return;
    }
    socket.send(text);
  };

  const stopEvents = options.events.subscribe((event, payload) => {
    if (sockets.size === 0) return;
    let text: string;
    try {
      text = encodeFrame({ event, payload });
    } catch (error) {
      logger.error('A core event could not be encoded', { event, error: error instanceof Error ? error.message : 'unknown' });
      return;
    }
    for (const socket of sockets) send(socket, text);
  });

  async function answer(socket: WebSocket, id: number, channel: string, payload: unknown): Promise<void> {
    let result: Result<unknown>;
    try {
      result = await core.invoke(channel, payload);
    } catch (error) {
      // Core answers with Results; a throw is a bug, reported to the page the way core reports its own.
      logger.error('Core threw instead of answering', { channel, error: error instanceof Error ? error.message : 'unknown' });
      result = fail('internal', 'Something went wrong inside Frontdesk; the details are in the log');
    }
    let text: string;
    try {
      text = encodeFrame({ id, result });
    } catch {
      logger.error('An answer could not be encoded', { channel });
      text = encodeFrame({ id, result: fail('internal', 'The answer could not be encoded') });
    }
    send(socket, text);
  }

  wss.on('connection', (socket: WebSocket) => {
    sockets.add(socket);
    logger.info('Bridge connected', { connections: sockets.size });
    socket.on('message', (data, isBinary) => {
      if (isBinary) return countBadFrame('binary');
      let frame;
      try {
        frame = parseRequestFrame(decodeFrame(rawText(data)));
      } catch {
        return countBadFrame('not JSON');
      }
      if (!frame) return countBadFrame('not a request');
      void answer(socket, frame.id, frame.channel, frame.payload);
    });
    socket.on('error', (error) => {
      // Oversized or malformed frames end here (ws closes the socket with 1009/1002).
      countBadFrame(error.message);
    });
    socket.on('close', () => {
      sockets.delete(socket);
      logger.info('Bridge disconnected', { connections: sockets.size });
    });
  });

  return {
    accept(request, socket, head) {
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    },
    get connections() {
      return sockets.size;
    },
    get badFrames() {
      return badFrames;
    },
    dropAll() {
      for (const socket of sockets) socket.terminate();
    },
    close() {
      stopEvents();
      for (const socket of sockets) socket.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
