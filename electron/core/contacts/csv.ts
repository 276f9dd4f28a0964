/**
 * CSV as RFC 4180 describes it, plus what spreadsheets really write: CRLF, LF or CR line ends, quoted fields
 * holding delimiters, quotes ("") and line breaks, and a `;` or tab delimiter where the locale uses one.
 */

export interface CsvRecord {
  /** 1-based line of the file where the record starts (a quoted line break makes a record span lines). */
  line: number;
  fields: string[];
}

/** The delimiter of the header line: a comma unless the line has none but has semicolons or tabs. */
export function detectDelimiter(text: string): ',' | ';' | '\t' {
  let inQuotes = false;
  const counts = { ',': 0, ';': 0, '\t': 0 };
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) break;
    else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  if (counts[','] > 0) return ',';
  if (counts[';'] > 0) return ';';
  return counts['\t'] > 0 ? '\t' : ',';
}

/**
 * Parses every record; blank lines are skipped. Stops with `tooMany` once `maxRecords` is passed, so a
 * huge file is refused without building all of it. A quote left open runs to the end of the file (lenient:
 * the record is still returned, usually to be refused by validation).
 */
export function parseCsv(text: string, options: { delimiter?: string; maxRecords?: number } = {}): { records: CsvRecord[]; tooMany: boolean } {
  const delimiter = options.delimiter ?? detectDelimiter(text);
  const max = options.maxRecords ?? Number.POSITIVE_INFINITY;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  // The current field began with a quote or has characters (a later quote is then literal).
  let fieldStarted = false;
  // The record has something, if only a delimiter (a blank line has nothing and is skipped).
  let recordStarted = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;

  const endRecord = (): boolean => {
    fields.push(field);
    if (recordStarted) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    fieldStarted = false;
    recordStarted = false;
    return records.length > max;
  };

  while (i < n) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        // A line break inside quotes is part of the value; CRLF is kept as one \n.
        field += '\n';
        line++;
        i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      recordStarted = true;
      i++;
      continue;
    }
    if (ch === delimiter) {
      fields.push(field);
      field = '';
      fieldStarted = false;
      recordStarted = true;
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      if (endRecord()) return { records, tooMany: true };
      line++;
      recordLine = line;
      continue;
    }
    // Characters after a closing quote (`"a"b`) are kept: spreadsheets are not always strict.
    field += ch;
    fieldStarted = true;
    recordStarted = true;
    i++;
  }
  if (recordStarted) {
    if (endRecord()) return { records, tooMany: true };
  }
  return { records, tooMany: false };
}

/** Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
const formulaStart = /^[=+\-@\t\r]/u;

/** One cell: quoted when needed; a leading formula character is defused with an apostrophe. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (formulaStart.test(text)) text = `'${text}`;
  return /[",\r\n;]/u.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole file: CRLF line ends (RFC 4180, and what Excel expects). */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Undoes `csvCell`'s defusing on import: `'+86 138…` as exported reads back as `+86 138…`. */
export function undefuse(value: string): string {
  return /^'[=+\-@\t\r]/u.test(value) ? value.slice(1) : value;
}
