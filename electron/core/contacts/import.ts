import type { ContactsImportReport } from '../../../shared/ipc/inbox';
import type { Archive } from '../archive';
import { AppError } from '../errors';
import { parseCsv, undefuse } from './csv';
import { checkImportedPhone } from './phone';
import { chosenPhone, parseVCards } from './vcard';

export const maxImportBytes = 5 * 1024 * 1024;
export const maxImportRows = 50_000;
const maxNameLength = 100;
const maxNotesLength = 10_000;

/** One row of the file, before validation: where it is, and what it says. */
interface SourceRow {
  row: number;
  name: string;
  phone: string;
  notes: string;
}

interface ValidRow {
  row: number;
  digits: string;
  name: string | null;
  notes: string | null;
}

function tooLarge(message: string, field: string): AppError {
  return new AppError('invalid_request', message, [{ path: 'bytes', message: field }]);
}

const han = /\p{Script=Han}/u;

/**
 * The file's text: UTF-8 with or without a BOM, UTF-16 with a BOM (Excel's "Unicode text"), and GB18030
 * (what Excel in Chinese saves as "CSV") when the bytes are not UTF-8 but decode as Chinese.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    try {
      const text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
      if (han.test(text)) return text;
    } catch {
      // Neither: refused below.
    }
  }
  throw new AppError('invalid_request', 'The file is not UTF-8 text; save it as "CSV UTF-8" or vCard and try again', [
    { path: 'bytes', message: 'not UTF-8 text' },
  ]);
}

/** Header names, compared lower-cased, NFKC, single-spaced, without a trailing colon. */
const headerNames = {
  savedName: ['saved name', '保存的名称', '备注名'],
  name: ['name', 'full name', 'display name', 'contact name', 'contact', '姓名', '名字', '名称', '联系人', '客户名称', '客户'],
  phone: ['phone', 'phone number', 'mobile', 'mobile phone', 'mobile number', 'cell', 'tel', 'telephone', 'number', 'whatsapp', 'whatsapp number', '电话', '手机', '手机号', '手机号码', '电话号码', '号码', '联系电话'],
  notes: ['notes', 'note', 'comment', 'comments', '备注', '说明'],
} as const;

function normalizeHeader(value: string): string {
  return value.replace(/^\uFEFF/u, '').normalize('NFKC').trim().toLowerCase().replace(/\s+/gu, ' ').replace(/:$/u, '');
}

function csvRows(text: string): SourceRow[] {
  const { records, tooMany } = parseCsv(text, { maxRecords: maxImportRows + 1 });
  if (tooMany) throw tooLarge(`The file has more than ${maxImportRows} rows; split it and import the parts`, `at most ${maxImportRows} rows`);
  const header = records[0];
  if (!header) throw new AppError('invalid_request', 'The file is empty', [{ path: 'bytes', message: 'empty' }]);
  const headers = header.fields.map(normalizeHeader);
  const column = (names: readonly string[]) => headers.findIndex((h) => names.includes(h));
  const phone = column(headerNames.phone);
  if (phone === -1) {
    throw new AppError('invalid_request', 'The first row must name the columns, with one called "phone" (or 电话)', [
      { path: 'bytes', message: 'no phone column' },
    ]);
  }
  // An exported file has both: its "Saved name" is what staff typed, "Name" only what was displayed.
  const savedName = column(headerNames.savedName);
  const name = savedName !== -1 ? savedName : column(headerNames.name);
  const notes = column(headerNames.notes);
  const cell = (fields: string[], i: number) => (i === -1 ? '' : undefuse((fields[i] ?? '').trim()));
  return records
    .slice(1)
    .filter((r) => r.fields.some((f) => f.trim() !== ''))
    .map((r) => ({ row: r.line, name: cell(r.fields, name), phone: cell(r.fields, phone), notes: cell(r.fields, notes) }));
}

function vcardRows(text: string): SourceRow[] {
  const { cards, tooMany } = parseVCards(text, maxImportRows);
  if (tooMany) throw tooLarge(`The file has more than ${maxImportRows} contacts; split it and import the parts`, `at most ${maxImportRows} rows`);
  if (cards.length === 0) throw new AppError('invalid_request', 'The file has no vCard in it', [{ path: 'bytes', message: 'no vCard' }]);
  return cards.map((card) => ({ row: card.index, name: card.name ?? '', phone: chosenPhone(card) ?? '', notes: card.note ?? '' }));
}

function validate(rows: SourceRow[], rejected: ContactsImportReport['rejected']): ValidRow[] {
  const valid: ValidRow[] = [];
  for (const r of rows) {
    if (r.phone === '') {
      rejected.push({ row: r.row, reason: 'No phone number', value: r.name });
      continue;
    }
    const phone = checkImportedPhone(r.phone);
    if (!phone.ok) {
      rejected.push({ row: r.row, reason: phone.reason, value: r.phone });
      continue;
    }
    const name = r.name.replace(/\s+/gu, ' ').trim();
    if ([...name].length > maxNameLength) {
      rejected.push({ row: r.row, reason: `Name longer than ${maxNameLength} characters`, value: name });
      continue;
    }
    if (r.notes.length > maxNotesLength) {
      rejected.push({ row: r.row, reason: `Notes longer than ${maxNotesLength} characters`, value: `${r.notes.slice(0, 80)}…` });
      continue;
    }
    valid.push({ row: r.row, digits: phone.digits, name: name || null, notes: r.notes.trim() || null });
  }
  return valid;
}

/** Rows for one number collapse into one (in the first row's place): the last name given wins, notes add up. */
function sameNumberOnce(rows: ValidRow[]): ValidRow[] {
  const byNumber = new Map<string, ValidRow>();
  for (const r of rows) {
    const seen = byNumber.get(r.digits);
    if (!seen) byNumber.set(r.digits, { ...r });
    else {
      seen.name = r.name ?? seen.name;
      if (r.notes !== null && !(seen.notes ?? '').includes(r.notes)) seen.notes = seen.notes === null ? r.notes : `${seen.notes}\n${r.notes}`;
    }
  }
  return [...byNumber.values()];
}

export interface ImportOutcome {
  report: ContactsImportReport;
  /** Conversations of existing contacts whose name may have changed (the list refetches them). */
  changedConversationIds: number[];
}

/**
 * Reads and validates the whole file first, then writes every valid row in one transaction: a number
 * already known (wa_id, number, former number) updates that contact, and rows repeating a number in the
 * file are one contact; nothing is ever duplicated, and importing the same file again changes nothing.
 */
export function importContacts(archive: Archive, format: 'csv' | 'vcard', bytes: Uint8Array): ImportOutcome {
  if (bytes.length > maxImportBytes) throw tooLarge('The file is larger than 5 MB; split it and import the parts', 'at most 5 MB');
  const text = decodeText(bytes);
  const rows = format === 'csv' ? csvRows(text) : vcardRows(text);
  const rejected: ContactsImportReport['rejected'] = [];
  const valid = sameNumberOnce(validate(rows, rejected));
  const added = new Set<number>();
  const updated = new Set<number>();
  archive.transaction(() => {
    for (const r of valid) {
      const { id, outcome } = archive.contacts.importByPhone({ phone: r.digits, savedName: r.name, notes: r.notes });
      if (outcome === 'added') added.add(id);
      else if (outcome === 'updated') updated.add(id);
    }
    archive.audit.append('contacts.imported', null, { format, added: added.size, updated: updated.size, rejected: rejected.length });
  });
  const changedConversationIds = [...updated].map((id) => archive.conversations.forContact(id)?.id).filter((id): id is number => id !== undefined);
  rejected.sort((a, b) => a.row - b.row);
  return { report: { added: added.size, updated: updated.size, rejected }, changedConversationIds };
}
