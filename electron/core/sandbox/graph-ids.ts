/**
 * Seeded randomness for the sandbox: the same seed gives the same message, media and template ids, so a
 * demo run or a failing test can be replayed exactly.
 */

export interface SandboxRandom {
  /** A float in [0, 1). */
  next(): number;
  int(maxExclusive: number): number;
  /** A decimal id like Meta's (`1037543291543636`): no leading zero. */
  digits(length: number): string;
  hex(length: number): string;
  /** Letters, digits, `_` and `-`. */
  token(length: number): string;
}

/** mulberry32: tiny, fast and good enough for ids; not for secrets. */
export function createSandboxRandom(seed: number): SandboxRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (maxExclusive: number) => Math.floor(next() * maxExclusive);
  const from = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[int(alphabet.length)]).join('');
  return {
    next,
    int,
    digits: (length) => `${1 + int(9)}${from('0123456789', length - 1)}`,
    hex: (length) => from('0123456789ABCDEF', length),
    token: (length) => from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', length),
  };
}

/**
 * A wamid in Meta's layout: base64 of a small protobuf-like record holding the recipient's number and an
 * 18-hex-digit message id (decode `wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA` to see it).
 */
export function makeWamid(random: SandboxRandom, recipient: string): string {
  const who = Buffer.from(recipient.slice(0, 200), 'utf8');
  const record = Buffer.concat([
    Buffer.from([0x1c, 0x18, who.length]),
    who,
    Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]),
    Buffer.from(random.hex(18), 'ascii'),
    Buffer.from([0x00]),
  ]);
  return `wamid.${record.toString('base64')}`;
}
