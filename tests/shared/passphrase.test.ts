import { describe, expect, it } from 'vitest';
import { minPassphraseLength, passphraseStrength } from '../../shared/rules/passphrase';

describe('passphrase strength', () => {
  it('calls anything under the minimum too short', () => {
    expect(minPassphraseLength).toBe(10);
    expect(passphraseStrength('Xy7!Xy7!q')).toBe(0);
  });

  it('rates repeats, sequences and common words as weak however long', () => {
    expect(passphraseStrength('aaaaaaaaaaaaaaaa')).toBe(1);
    expect(passphraseStrength('1234567890')).toBe(1);
    expect(passphraseStrength('password123')).toBe(1);
  });

  it('rates long mixed passphrases, including Chinese ones, as good or strong', () => {
    expect(passphraseStrength('correct horse battery staple')).toBeGreaterThanOrEqual(3);
    expect(passphraseStrength('我们的诊所在三楼左转第二间')).toBeGreaterThanOrEqual(3);
    expect(passphraseStrength('Tr0ub4dor&3-Blue-Harbour')).toBe(4);
  });

  it('grows as the passphrase grows', () => {
    const a = passphraseStrength('river stone');
    const b = passphraseStrength('river stone lantern');
    const c = passphraseStrength('river stone lantern orchard');
    expect(a).toBeLessThanOrEqual(b);
    expect(b).toBeLessThanOrEqual(c);
    expect(c).toBeGreaterThan(a);
  });
});
