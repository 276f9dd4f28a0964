import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startReadBack } from '../../../electron/core/backup/read-back';
import { tempDir } from '../helpers';

/** Messages laid out as the backup writer does (u32 length, then the bytes), after an 8-byte prefix. */
function messageFile(messages: Buffer[]) {
  const prefix = Buffer.from('PREFIX..');
  const parts: Buffer[] = [prefix];
  const positions: number[] = [];
  let size = prefix.length;
  for (const message of messages) {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(message.length, 0);
    positions.push(size);
    parts.push(length, message);
    size += 4 + message.length;
  }
  const path = join(tempDir('frontdesk-readback-'), 'file');
  writeFileSync(path, Buffer.concat(parts));
  return { path, positions, size, bodyOffset: prefix.length };
}

const messages = () => [Buffer.from('entry'), Buffer.alloc(70_000, 7), Buffer.alloc(70_000, 9), Buffer.from('{"manifest":true}')];

/**
 * Tells the read-back about every message, in the order writes might finish (out of order): the large ones
 * in shared memory as the writer's records are (read where they are, released once compared), the small
 * ones as plain bytes (copied).
 */
function replay(file: ReturnType<typeof messageFile>, order = [2, 0, 3, 1], released: number[] = []) {
  const readBack = startReadBack({ path: file.path, bodyOffset: file.bodyOffset });
  const sent = messages();
  for (const i of order) {
    const message = sent[i]!;
    let bytes: Uint8Array = new Uint8Array(message);
    if (message.length > 1000) {
      const record = new Uint8Array(new SharedArrayBuffer(message.length + 8));
      record.set(message, 4);
      bytes = record.subarray(4, 4 + message.length);
    }
    readBack.written(file.positions[i]!, bytes, () => released.push(i));
  }
  return readBack;
}

describe('the read-back beside the writer', () => {
  it('compares every message as it is written, in any order, and accepts exactly what was written', async () => {
    const file = messageFile(messages());
    const released: number[] = [];
    expect(await replay(file, [2, 0, 3, 1], released).finish(file.size)).toEqual({ ok: true, messages: 4 });
    // Every buffer went back to the writer, the shared ones once compared.
    expect(released.sort()).toEqual([0, 1, 2, 3]);
  });

  it('finds a byte changed on disk, a message missing from the check, a file cut short and bytes added', async () => {
    const changed = messageFile(messages());
    const bytes = readFileSync(changed.path);
    bytes[changed.positions[1]! + 4000]! ^= 0x01;
    writeFileSync(changed.path, bytes);
    expect(await replay(changed).finish(changed.size)).toEqual({ ok: false, reason: `the bytes at ${changed.positions[1]} differ from those written` });

    const unchecked = messageFile(messages());
    expect(await replay(unchecked, [0, 1, 3]).finish(unchecked.size)).toEqual({ ok: false, reason: 'not every byte was compared' });

    const cut = messageFile(messages());
    writeFileSync(cut.path, readFileSync(cut.path).subarray(0, cut.size - 3));
    expect((await replay(cut).finish(cut.size)).reason).toBe(`the file is shorter than written at byte ${cut.positions[3]}`);

    const longer = messageFile(messages());
    appendFileSync(longer.path, Buffer.alloc(10));
    expect(await replay(longer).finish(longer.size)).toEqual({ ok: false, reason: 'the file is not as long as written' });
  });
});
