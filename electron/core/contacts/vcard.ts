/**
 * vCard 2.1, 3.0 and 4.0 (RFC 2426, RFC 6350) as phones and address books export them, reduced to what an
 * import needs: a name (FN, else N), the telephone numbers with their types, and the note. Folded lines are
 * unfolded; QUOTED-PRINTABLE values (Android's vCard 2.1 for non-ASCII names) are decoded; CHARSET other
 * than UTF-8 is decoded when the runtime knows it.
 */

export interface VCardPhone {
  value: string;
  mobile: boolean;
}

export interface VCard {
  /** 1-based position of the card in the file. */
  index: number;
  name: string | null;
  phones: VCardPhone[];
  note: string | null;
}

interface Property {
  name: string;
  params: Map<string, string[]>;
  value: string;
}

/** `a\,b\;c\nd` → the text (RFC 6350 §3.4). */
function unescapeText(value: string): string {
  return value.replace(/\\([\\,;nN])/gu, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Splits a value on `sep` not preceded by a backslash (N's components). */
function splitUnescaped(value: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\' && i + 1 < value.length) {
      current += ch + value[i + 1];
      i++;
    } else if (ch === sep) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function decodeBytes(bytes: Uint8Array, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function decodeQuotedPrintable(value: string, charset: string): string {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/u.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...encoder.encode(ch));
  }
  return decodeBytes(Uint8Array.from(bytes), charset);
}

/** `TEL;TYPE=cell,voice;PREF=1:…`, `TEL;CELL:…` (2.1 bare types), `TYPE="cell,voice"` (quoted lists). */
function parseParams(raw: string[]): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const part of raw) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = (eq === -1 ? 'TYPE' : part.slice(0, eq)).toUpperCase();
    const rawValue = eq === -1 ? part : part.slice(eq + 1);
    const values = rawValue
      .split(',')
      .map((v) => v.replace(/^"|"$/gu, '').trim().toLowerCase())
      .filter(Boolean);
    params.set(key, [...(params.get(key) ?? []), ...values]);
  }
  return params;
}

/** Splits `group.NAME;P=1;P2="a:b":value` at the first colon outside quotes. */
function parseLine(line: string): Property | null {
  let inQuotes = false;
  let colon = -1;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === ':' && !inQuotes) {
      colon = i;
      break;
    }
  }
  if (colon === -1) return null;
  const head = line.slice(0, colon);
  const parts: string[] = [];
  let current = '';
  inQuotes = false;
  for (const ch of head) {
    if (ch === '"') inQuotes = !inQuotes;
    if (ch === ';' && !inQuotes) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  const fullName = parts.shift()!.trim();
  const name = fullName.slice(fullName.lastIndexOf('.') + 1).toUpperCase();
  return { name, params: parseParams(parts), value: line.slice(colon + 1) };
}

function propertyText(p: Property): string {
  const charset = p.params.get('CHARSET')?.[0] ?? 'utf-8';
  const qp = p.params.get('ENCODING')?.[0] === 'quoted-printable' || (p.params.get('TYPE') ?? []).includes('quoted-printable');
  if (qp) return decodeQuotedPrintable(p.value, charset);
  return p.value;
}

const han = /\p{Script=Han}/u;

/** N is family;given;additional;prefix;suffix: "王;小明" → 王小明, "Smith;John" → John Smith. */
function nameFromN(value: string): string | null {
  const [family = '', given = '', additional = ''] = splitUnescaped(value, ';').map((s) => unescapeText(s).trim());
  if (han.test(family + given)) return family + given || null;
  return [given, additional, family].filter(Boolean).join(' ') || null;
}

/** Physical lines → logical lines: folded continuations (a leading space or tab) and QP soft breaks joined. */
function logicalLines(text: string): string[] {
  const physical = text.split(/\r\n|\r|\n/u);
  const lines: string[] = [];
  for (let i = 0; i < physical.length; i++) {
    let line = physical[i]!;
    if ((line.startsWith(' ') || line.startsWith('\t')) && lines.length > 0) {
      lines[lines.length - 1] += line.slice(1);
      continue;
    }
    // QUOTED-PRINTABLE: a line ending in `=` continues on the next one (which need not be indented).
    if (/QUOTED-PRINTABLE/iu.test(line.slice(0, line.indexOf(':') + 1))) {
      while (line.endsWith('=') && i + 1 < physical.length) {
        line = line.slice(0, -1) + physical[++i]!.replace(/^[ \t]/u, '');
      }
    }
    lines.push(line);
  }
  return lines;
}

/** Every card in the file, in order; lines outside BEGIN/END are ignored. */
export function parseVCards(text: string, maxCards = Number.POSITIVE_INFINITY): { cards: VCard[]; tooMany: boolean } {
  const cards: VCard[] = [];
  let current: { fn: string | null; n: string | null; phones: VCardPhone[]; note: string | null } | null = null;
  for (const line of logicalLines(text)) {
    const p = parseLine(line);
    if (!p) continue;
    if (p.name === 'BEGIN' && p.value.trim().toUpperCase() === 'VCARD') {
      current = { fn: null, n: null, phones: [], note: null };
      continue;
    }
    if (!current) continue;
    if (p.name === 'END' && p.value.trim().toUpperCase() === 'VCARD') {
      cards.push({ index: cards.length + 1, name: current.fn ?? current.n, phones: current.phones, note: current.note });
      current = null;
      if (cards.length > maxCards) return { cards, tooMany: true };
      continue;
    }
    if (p.name === 'FN') current.fn ??= unescapeText(propertyText(p)).trim() || null;
    else if (p.name === 'N') current.n ??= nameFromN(propertyText(p));
    else if (p.name === 'NOTE') current.note ??= unescapeText(propertyText(p)).trim() || null;
    else if (p.name === 'TEL') {
      const value = propertyText(p).trim();
      if (!value) continue;
      const types = p.params.get('TYPE') ?? [];
      current.phones.push({ value, mobile: types.includes('cell') || types.includes('mobile') || types.includes('iphone') });
    }
  }
  return { cards, tooMany: false };
}

/** The number to import: the first mobile one, else the first. */
export function chosenPhone(card: VCard): string | null {
  return (card.phones.find((p) => p.mobile) ?? card.phones[0])?.value ?? null;
}
