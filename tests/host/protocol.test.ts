import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, decodeFrame, encodeFrame, parseRequestFrame, parseServerFrame } from './protocol';

describe('bridge wire protocol', () => {
  it('base64 matches Node for every length and round-trips', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = new Uint8Array(randomBytes(length));
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64ToBytes(text)).toEqual(bytes);
    }
  });

  it('refuses malformed base64', () => {
    for (const bad of ['a', 'ab=c', '!!!!', 'ab==cd==', '====']) expect(() => base64ToBytes(bad), bad).toThrow(SyntaxError);
  });

  it('carries bytes (Uint8Array, Buffer, ArrayBuffer) as bytes, like structured clone', () => {
    const payload = { name: 'a.pdf', bytes: new Uint8Array([0, 255, 7]), buffer: Buffer.from('hi'), raw: new Uint8Array([1, 2]).buffer };
    const decoded = decodeFrame(encodeFrame({ id: 3, channel: 'x:y', payload })) as { payload: Record<string, unknown> };
    expect(decoded.payload.bytes).toBeInstanceOf(Uint8Array);
    expect([...(decoded.payload.bytes as Uint8Array)]).toEqual([0, 255, 7]);
    expect([...(decoded.payload.buffer as Uint8Array)]).toEqual([104, 105]);
    expect([...(decoded.payload.raw as Uint8Array)]).toEqual([1, 2]);
    expect(decoded.payload.name).toBe('a.pdf');
  });

  it('leaves an object that merely has a $bytes key among others alone', () => {
    const decoded = decodeFrame('{"a":{"$bytes":"AA==","b":1}}') as { a: unknown };
    expect(decoded.a).toEqual({ $bytes: 'AA==', b: 1 });
  });

  it('parses only well-formed requests', () => {
    expect(parseRequestFrame({ id: 1, channel: 'app:info' })).toEqual({ id: 1, channel: 'app:info', payload: undefined });
    expect(parseRequestFrame({ id: 0, channel: 'a', payload: { x: 1 } })).toEqual({ id: 0, channel: 'a', payload: { x: 1 } });
    for (const bad of [null, [], 'x', { id: 1 }, { channel: 'a' }, { id: -1, channel: 'a' }, { id: 2 ** 60, channel: 'a' }, { id: 1, channel: '' }]) {
      expect(parseRequestFrame(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('parses only well-formed server frames', () => {
    expect(parseServerFrame({ id: 1, result: { ok: true, value: 1 } })).toEqual({ id: 1, result: { ok: true, value: 1 } });
    const error = { ok: false, error: { code: 'internal', message: 'm' } };
    expect(parseServerFrame({ id: 1, result: error })).toEqual({ id: 1, result: error });
    expect(parseServerFrame({ event: 'app:tick', payload: { seq: 1 } })).toEqual({ event: 'app:tick', payload: { seq: 1 } });
    for (const bad of [null, {}, { id: 1 }, { id: 1, result: { ok: false } }, { id: 1, result: { ok: 'yes' } }, { event: '' }]) {
      expect(parseServerFrame(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});
