import { describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/core/logger';
import { createMemoryLogger, createStreamLogger } from '../../electron/core/node-ports';

describe('logger', () => {
  it('never passes message text, names, numbers or secrets to the port', () => {
    const memory = createMemoryLogger();
    const log = createLogger(memory);
    log.info('Message stored', {
      text: '您的订单已发货',
      accessToken: 'EAAG-secret',
      appSecret: 's3cr3t',
      phoneNumber: '+8613800138000',
      waId: '8613800138000',
      profileName: 'Wang Fang',
      passphrase: 'correct horse',
      count: 3,
      channel: 'app:ping',
    });
    const logged = JSON.stringify(memory.entries);
    for (const secret of ['您的订单已发货', 'EAAG-secret', 's3cr3t', '8613800138000', 'Wang Fang', 'correct horse']) {
      expect(logged).not.toContain(secret);
    }
    expect(memory.entries[0]?.fields).toMatchObject({ count: 3, channel: 'app:ping' });
  });

  it('scrubs what an error quotes: typed text, numbers, e-mail addresses, tokens and wamids, keeping the rest', () => {
    const memory = createMemoryLogger();
    createLogger(memory).error('Send failed', {
      error: 'Recipient +86 138 0013 8000 refused "您的订单已发货" (lin@example.com) with Bearer EAAGm0PX4ZCpsBAKZC1234567 for wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3',
      code: 'meta_rejected',
      retryInMs: 1500,
    });
    const fields = memory.entries[0]!.fields!;
    expect(fields.error).toBe('Recipient [number] refused "…" ([email]) with Bearer [secret] for [id]');
    expect(fields).toMatchObject({ code: 'meta_rejected', retryInMs: 1500 });
  });

  it('writes one JSON line per entry at or above the minimum level', () => {
    const lines: string[] = [];
    const port = createStreamLogger({ minLevel: 'info', write: (line) => lines.push(line) });
    port.log('debug', 'hidden');
    port.log('warn', 'shown', { n: 1 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', message: 'shown', n: 1 });
  });
});
