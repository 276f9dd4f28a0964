/**
 * The preview host's wire protocol between /bridge.js (in Chromium) and the host (in Node), one JSON text
 * frame per message. Shared by both sides so they cannot drift; pure TypeScript (no Node, no DOM).
 *
 *   page → host   { id, channel, payload }     a request; `payload` absent means `undefined`
 *   host → page   { id, result }               the answer, a `Result` exactly as core returned it
 *   host → page   { event, payload }           a core event, sent to every connected page
 *
 * JSON loses bytes (a Uint8Array becomes `{"0":…}`), and attachments cross the contract as bytes, so
 * every Uint8Array travels as `{ "$bytes": "<base64>" }` and is revived on the other side — the same values
 * Electron's structured clone would deliver.
 */
import type { Result } from '../../shared/ipc';

export const bridgePath = '/bridge';

export interface RequestFrame {
  id: number;
  channel: string;
  payload?: unknown;
}

export interface ResponseFrame {
  id: number;
  result: Result<unknown>;
}

export interface EventFrame {
  event: string;
  payload: unknown;
}

export type ServerFrame = ResponseFrame | EventFrame;

const maxChannelLength = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFrameId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A request from a page, or null when the shape is wrong (the host counts and ignores those). */
export function parseRequestFrame(value: unknown): RequestFrame | null {
  if (!isRecord(value) || !isFrameId(value.id)) return null;
  if (typeof value.channel !== 'string' || value.channel.length === 0 || value.channel.length > maxChannelLength) return null;
  return { id: value.id, channel: value.channel, payload: value.payload };
}

function isResult(value: unknown): value is Result<unknown> {
  if (!isRecord(value)) return false;
  if (value.ok === true) return true;
  return value.ok === false && isRecord(value.error) && typeof value.error.code === 'string' && typeof value.error.message === 'string';
}

/** A frame from the host, or null when it is not one (the client ignores those). */
export function parseServerFrame(value: unknown): ServerFrame | null {
  if (!isRecord(value)) return null;
  if (isFrameId(value.id) && isResult(value.result)) return { id: value.id, result: value.result };
  if (typeof value.event === 'string' && value.event.length > 0) return { event: value.event, payload: value.payload };
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Encoding, with bytes

const bytesKey = '$bytes';

export function encodeFrame(frame: RequestFrame | ServerFrame): string {
  return JSON.stringify(frame, function replacer(this: Record<string, unknown>, key: string, value: unknown) {
    // `this[key]` is the value before toJSON (a Node Buffer would otherwise arrive here as {type, data}).
    const original = this[key];
    if (original instanceof Uint8Array) return { [bytesKey]: bytesToBase64(original) };
    if (original instanceof ArrayBuffer) return { [bytesKey]: bytesToBase64(new Uint8Array(original)) };
    return value;
  });
}

/** Parses a frame's text; throws on bad JSON or a bad `$bytes` value (callers treat that as a bad frame). */
export function decodeFrame(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (isRecord(value) && typeof value[bytesKey] === 'string' && Object.keys(value).length === 1) {
      return base64ToBytes(value[bytesKey]);
    }
    return value;
  });
}

// Base64 by hand: this file runs in Node (no `atob` needed) and in the page (no `Buffer`).
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const alphabetIndex = new Map([...alphabet].map((char, index) => [char, index]));

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    const triple = (a << 16) | (b << 8) | c;
    out += alphabet[(triple >> 18) & 63]! + alphabet[(triple >> 12) & 63]!;
    out += i + 1 < bytes.length ? alphabet[(triple >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? alphabet[triple & 63]! : '=';
  }
  return out;
}

export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new SyntaxError('Base64 text has a bad length');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let triple = 0;
    for (let j = 0; j < 4; j++) {
      const char = text[i + j]!;
      const isPad = char === '=' && i + 4 === text.length && j >= 4 - padding;
      const index = isPad ? 0 : alphabetIndex.get(char);
      if (index === undefined) throw new SyntaxError('Base64 text has a bad character');
      triple = (triple << 6) | index;
    }
    if (o < out.length) out[o++] = (triple >> 16) & 255;
    if (o < out.length) out[o++] = (triple >> 8) & 255;
    if (o < out.length) out[o++] = triple & 255;
  }
  return out;
}
