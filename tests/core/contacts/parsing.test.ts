import { describe, expect, it } from 'vitest';
import { csvCell, parseCsv, toCsv, undefuse } from '../../../electron/core/contacts/csv';
import { decodeText } from '../../../electron/core/contacts/import';
import { checkImportedPhone } from '../../../electron/core/contacts/phone';
import { chosenPhone, parseVCards } from '../../../electron/core/contacts/vcard';

describe('CSV parsing', () => {
  it('reads quoted fields with commas, quotes and line breaks, CRLF and LF, and numbers records by line', () => {
    const text = 'name,phone,notes\r\n"Lee, Ann",+44 7911 123456,"says ""hi""\r\nsecond line"\r\n\r\nBob,+1 415 555 2671,\nlast,1';
    const { records, tooMany } = parseCsv(text);
    expect(tooMany).toBe(false);
    expect(records).toEqual([
      { line: 1, fields: ['name', 'phone', 'notes'] },
      { line: 2, fields: ['Lee, Ann', '+44 7911 123456', 'says "hi"\nsecond line'] },
      { line: 5, fields: ['Bob', '+1 415 555 2671', ''] },
      { line: 6, fields: ['last', '1'] },
    ]);
  });

  it('detects a semicolon or tab delimiter from the header and stops past the record limit', () => {
    expect(parseCsv('name;phone\nA;+1 415 555 2671').records[1]!.fields).toEqual(['A', '+1 415 555 2671']);
    expect(parseCsv('name\tphone\nA\t+1').records[1]!.fields).toEqual(['A', '+1']);
    expect(parseCsv('a\nb\nc\nd', { maxRecords: 3 }).tooMany).toBe(true);
    expect(parseCsv('a\nb\nc', { maxRecords: 3 }).tooMany).toBe(false);
  });

  it('writes cells safe from formula injection, and reads them back', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+86 138 0013 8000')).toBe("'+86 138 0013 8000");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@bob')).toBe("'@bob");
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell(null)).toBe('');
    expect(toCsv([['a', 'b'], ['王小明', '=1+1']])).toBe("a,b\r\n王小明,'=1+1\r\n");
    expect(undefuse("'+86 138")).toBe('+86 138');
    expect(undefuse("it's")).toBe("it's");
  });
});

describe('text decoding', () => {
  it('takes UTF-8 with or without BOM, UTF-16 with BOM, and GB18030 Chinese', () => {
    const utf8 = new TextEncoder().encode('姓名,电话');
    expect(decodeText(utf8)).toBe('姓名,电话');
    expect(decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]))).toBe('姓名,电话');
    expect(decodeText(Uint8Array.from([0xff, 0xfe, ...Buffer.from('名,x', 'utf16le')]))).toBe('名,x');
    // 王 in GB2312 (what Excel in Chinese writes for "CSV").
    expect(decodeText(Uint8Array.from([0xcd, 0xf5]))).toBe('王');
    expect(() => decodeText(Uint8Array.from([0x4a, 0x6f, 0x73, 0xe9]))).toThrow(/not UTF-8/);
  });
});

describe('imported phone numbers', () => {
  it('accepts any common writing with a country code and returns E.164 digits', () => {
    for (const raw of ['+86 138 0013 8000', '0086-138-0013-8000', '+86 (138) 0013.8000', '＋８６ １３８００１３８０００', 'tel:+86-138-0013-8000']) {
      expect(checkImportedPhone(raw)).toEqual({ ok: true, digits: '8613800138000' });
    }
    expect(checkImportedPhone('+44 (0)7911 123456')).toEqual({ ok: true, digits: '447911123456' });
  });

  it('refuses numbers without a country code, invalid ones and text, with the reason', () => {
    expect(checkImportedPhone('138 0013 8000')).toMatchObject({ ok: false, reason: expect.stringMatching(/country code/) });
    expect(checkImportedPhone('+86 1234')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a valid number/i) });
    expect(checkImportedPhone('call me')).toMatchObject({ ok: false, reason: 'Not a phone number' });
    expect(checkImportedPhone('')).toMatchObject({ ok: false, reason: 'No phone number' });
  });
});

describe('vCard parsing', () => {
  it('unfolds lines, picks the first mobile number, reads NOTE and decodes quoted-printable', () => {
    const text = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Alexandra Very-Long-Name',
      '  Folded',
      'N:Folded;Alexandra;;;',
      'TEL;TYPE=HOME,VOICE:+44 20 7946 0958',
      'TEL;TYPE=CELL:+44 7911 123456',
      'TEL;TYPE=CELL:+44 7911 654321',
      'NOTE:line one\\nline two\\, with comma',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:2.1',
      'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B;=E5=B0=8F=E6=98=8E;;;',
      'TEL;CELL;PREF:+8613800138000',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN:Uri',
      'TEL;VALUE=uri;TYPE="voice,home":tel:+1-415-555-2671',
      'END:VCARD',
    ].join('\r\n');
    const { cards } = parseVCards(text);
    expect(cards).toHaveLength(3);
    expect(cards[0]).toMatchObject({ index: 1, name: 'Alexandra Very-Long-Name Folded', note: 'line one\nline two, with comma' });
    expect(chosenPhone(cards[0]!)).toBe('+44 7911 123456');
    expect(cards[1]).toMatchObject({ index: 2, name: '王小明' });
    expect(chosenPhone(cards[1]!)).toBe('+8613800138000');
    expect(chosenPhone(cards[2]!)).toBe('tel:+1-415-555-2671');
    expect(checkImportedPhone(chosenPhone(cards[2]!)!)).toEqual({ ok: true, digits: '14155552671' });
  });
});
