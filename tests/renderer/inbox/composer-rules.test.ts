import { describe, expect, it } from 'vitest';
import { acceptedMediaTypes, animatedStickerMaxBytes, checkAttachment, effectiveMime, isAnimatedWebp, mediaKindRules } from '../../../shared/rules/media-limits';
import { checkPhoneInput } from '../../../renderer/src/utils/phone-input';

const MB = 1024 * 1024;

describe('Meta’s media limits', () => {
  it.each([
    ['photo.jpg', 'image/jpeg', 5 * MB, 'image'],
    ['photo.png', 'image/png', 1000, 'image'],
    ['clip.mp4', 'video/mp4', 16 * MB, 'video'],
    ['clip.3gp', 'video/3gpp', 1000, 'video'],
    ['note.ogg', 'audio/ogg; codecs=opus', 1000, 'audio'],
    ['song.mp3', 'audio/mpeg', 16 * MB, 'audio'],
    ['memo.m4a', '', 1000, 'audio'],
    ['voice.amr', 'audio/amr', 1000, 'audio'],
    ['report.pdf', 'application/pdf', 100 * MB, 'document'],
    ['sheet.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 1000, 'document'],
    ['notes.txt', 'text/plain', 1000, 'document'],
    ['smile.webp', 'image/webp', 100 * 1024, 'sticker'],
  ])('accept %s (%s, %d bytes) as %s', (fileName, mime, size, kind) => {
    const verdict = checkAttachment({ fileName, mime, size });
    expect(verdict.ok && verdict.kind).toBe(kind);
  });

  it.each([
    ['photo.jpg', 'image/jpeg', 5 * MB + 1, 'image', 5 * MB],
    ['clip.mp4', 'video/mp4', 16 * MB + 1, 'video', 16 * MB],
    ['song.aac', 'audio/aac', 17 * MB, 'audio', 16 * MB],
    ['big.pdf', 'application/pdf', 100 * MB + 1, 'document', 100 * MB],
    ['smile.webp', 'image/webp', 100 * 1024 + 1, 'sticker', 100 * 1024],
  ])('refuse %s at %d bytes: too large for a %s (at most %d)', (fileName, mime, size, kind, maxBytes) => {
    expect(checkAttachment({ fileName, mime, size })).toEqual({ ok: false, reason: 'size', kind, mime, size, maxBytes });
  });

  it('let animated stickers be larger', () => {
    expect(checkAttachment({ fileName: 'a.webp', mime: 'image/webp', size: 300 * 1024, animated: true }).ok).toBe(true);
    expect(checkAttachment({ fileName: 'a.webp', mime: 'image/webp', size: animatedStickerMaxBytes + 1, animated: true }).ok).toBe(false);
  });

  it.each([
    ['anim.gif', 'image/gif'],
    ['setup.exe', 'application/x-msdownload'],
    ['movie.mov', 'video/quicktime'],
    ['archive.zip', 'application/zip'],
    ['mystery', ''],
  ])('refuse the type of %s', (fileName, mime) => {
    const verdict = checkAttachment({ fileName, mime, size: 10 });
    expect(verdict.ok === false && verdict.reason).toBe('type');
  });

  it('refuse an empty file', () => {
    const verdict = checkAttachment({ fileName: 'a.png', mime: 'image/png', size: 0 });
    expect(verdict.ok === false && verdict.reason).toBe('empty');
  });

  it('guess the type from the extension when the system gives none', () => {
    expect(effectiveMime('Voice 001.OPUS', '')).toBe('audio/ogg');
    expect(effectiveMime('x.pdf', 'application/octet-stream')).toBe('application/pdf');
    expect(effectiveMime('x.png', 'image/png')).toBe('image/png');
  });

  it('find WebP animation in the first bytes', () => {
    const header = (flags: number) => {
      const bytes = new Uint8Array(30);
      bytes.set([...'RIFF'].map((c) => c.charCodeAt(0)), 0);
      bytes.set([...'WEBPVP8X'].map((c) => c.charCodeAt(0)), 8);
      bytes[20] = flags;
      return bytes;
    };
    expect(isAnimatedWebp(header(0x02))).toBe(true);
    expect(isAnimatedWebp(header(0x10))).toBe(false);
    expect(isAnimatedWebp(new Uint8Array([1, 2, 3]))).toBe(false);
  });

  it('offer every accepted type to the file picker', () => {
    for (const rule of Object.values(mediaKindRules)) for (const mime of rule.mimes) expect(acceptedMediaTypes).toContain(mime);
    expect(acceptedMediaTypes).toContain('.ogg');
  });
});

describe('the new-chat number', () => {
  it.each([
    ['+44 7911 123456', '+44 7911 123456'],
    ['0086 138-0013-8000', '+86 138 0013 8000'],
    ['+1 (415) 555-2671', '+1 415 555 2671'],
    ['＋８６　１３８００１３８０００', '+86 138 0013 8000'],
  ])('accepts %s as %s', (input, international) => {
    const check = checkPhoneInput(input);
    expect(check.ok && check.international).toBe(international);
  });

  it.each([
    ['', 'empty'],
    ['13800138000', 'noCountryCode'],
    ['call me', 'notNumber'],
    ['+999 1234567', 'invalidCountry'],
    ['+86 138', 'tooShort'],
    ['+44 7911 123456 4567 89', 'tooLong'],
  ])('says why %s is not one', (input, problem) => {
    const check = checkPhoneInput(input);
    expect(check.ok === false && check.problem).toBe(problem);
  });
});
