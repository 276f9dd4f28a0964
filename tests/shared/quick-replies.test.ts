import { describe, expect, it } from 'vitest';
import {
  fillQuickReply,
  parseKeywords,
  problemFromField,
  problemMessage,
  quickReplyProblems,
  rankQuickReplies,
  shortcutProblem,
  textProblem,
} from '../../shared/rules/quick-replies';
import type { QuickReplyProblem } from '../../shared/rules/quick-replies';

describe('shortcut', () => {
  it.each([
    ['thanks', null],
    ['a', null],
    ['Opening_hours-2', null],
    ['x'.repeat(25), null],
    ['', 'required'],
    ['x'.repeat(26), 'too_long'],
    ['two words', 'characters'],
    ['/thanks', 'characters'],
    ['谢谢', 'characters'],
    ['thanks!', 'characters'],
  ])('%j → %s', (shortcut, kind) => {
    expect(shortcutProblem(shortcut)?.kind ?? null).toBe(kind);
  });

  it('is unique case-insensitively through `taken`, and every problem names its field', () => {
    const taken = (s: string) => s.toLowerCase() === 'thanks';
    expect(quickReplyProblems({ shortcut: 'THANKS', text: 'Hi {{nmae}}', keywords: Array.from({ length: 11 }, (_, i) => `k${i}`) }, taken)).toEqual([
      { path: 'shortcut', kind: 'already_used' },
      { path: 'text', kind: 'unknown_variables', variables: ['nmae'] },
      { path: 'keywords', kind: 'too_many' },
    ]);
    expect(quickReplyProblems({ shortcut: 'hello', text: 'Hi {{name}}, {{business}} opens {{next_open}}', keywords: ['hi'] }, taken)).toEqual([]);
  });

  it('round-trips problems through core’s field messages', () => {
    const problems: QuickReplyProblem[] = [
      { path: 'shortcut', kind: 'already_used' },
      { path: 'shortcut', kind: 'too_long' },
      { path: 'text', kind: 'unknown_variables', variables: ['foo', 'bar'] },
    ];
    for (const problem of problems) {
      expect(problemFromField({ path: problem.path, message: problemMessage(problem) })).toEqual(problem);
    }
  });
});

describe('text', () => {
  it.each([
    ['Thank you {{name}}!', null],
    ['   ', 'required'],
    ['x'.repeat(1025), 'too_long'],
    ['谢'.repeat(1024), null],
    ['Hi {{first_name}}', 'unknown_variables'],
  ])('%j → %s', (text, kind) => {
    expect(textProblem(text)?.kind ?? null).toBe(kind);
  });
});

describe('keywords', () => {
  it('splits on commas (also Chinese ones) and spaces, keeping each once', () => {
    expect(parseKeywords('price, Price，价格 hours、 ')).toEqual(['price', '价格', 'hours']);
  });
});

describe('ranking', () => {
  const reply = (shortcut: string, text: string, keywords: string[] = [], usageCount = 0) => ({ shortcut, text, keywords, usageCount });
  const replies = [
    reply('hours', 'We open at nine', ['opening']),
    reply('thanks', 'Thank you {{name}}!'),
    reply('thx', 'Cheers'),
    reply('greet-th', 'Hello'),
    reply('bye', 'Bye, thanks again'),
    reply('map', 'Here we are', ['theatre', 'address']),
    reply('price', '价格表在这里', ['价格']),
    reply('Thai', 'Thai menu', [], 5),
  ];
  const order = (query: string) => rankQuickReplies(replies, query).map((r) => r.shortcut);

  it.each([
    // Shortcut starts with (most used first, then alphabetical), shortcut contains, keyword starts with, text contains.
    ['th', ['Thai', 'thanks', 'thx', 'greet-th', 'map', 'bye']],
    ['TH', ['Thai', 'thanks', 'thx', 'greet-th', 'map', 'bye']],
    ['open', ['hours']],
    ['价', ['price']],
    ['这里', ['price']],
    ['zzz', []],
  ])('/%s → %j', (query, expected) => {
    expect(order(query)).toEqual(expected);
  });

  it('lists everything for a bare slash, most used first, then alphabetical', () => {
    expect(order('')).toEqual(['Thai', 'bye', 'greet-th', 'hours', 'map', 'price', 'thanks', 'thx']);
  });

  it('breaks ties within a rank by usage count', () => {
    const used = [reply('thanks', 'a', [], 1), reply('thx', 'b', [], 7), reply('than', 'c', [], 7)];
    expect(rankQuickReplies(used, 'th').map((r) => r.shortcut)).toEqual(['than', 'thx', 'thanks']);
  });
});

describe('filling variables', () => {
  it('fills name, business and next opening', () => {
    expect(fillQuickReply('Thank you {{name}}! {{business}} opens {{ next_open }}.', { name: 'Sheena', business: 'Acme', nextOpen: 'Monday 09:00' })).toBe(
      'Thank you Sheena! Acme opens Monday 09:00.',
    );
    expect(fillQuickReply('Thank you {{name}}!', { name: '', business: 'Acme', nextOpen: '' })).toBe('Thank you!');
    expect(fillQuickReply('谢谢{{name}}，欢迎光临{{business}}', { name: '王小明', business: '茶馆', nextOpen: '' })).toBe('谢谢王小明，欢迎光临茶馆');
  });
});
