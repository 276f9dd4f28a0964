/**
 * What may reach a log line. Logs sit on disk unencrypted and go out in diagnostics files, so nothing that could
 * identify a customer or unlock anything may be in them. Field names are the first line (`sensitiveField`);
 * string values are scrubbed too, because an error's message can quote what it failed on.
 */

/** Fields whose names suggest customer content or secrets: their values are never written. */
export const sensitiveField = /token|secret|pass|key|text|body|caption|phone|number|name|email|address|wa_?id|user_?id|note/i;

const email = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const bearer = /\b(Bearer|Basic)\s+\S+/gi;
// wamids are base64 of the customer's number and more; any long opaque run can be a key or a token.
const opaque = /\b(?:wamid\.)?[A-Za-z0-9+/_=-]{24,}/g;
// Text someone typed is quoted in error messages ("…", “…”, «…», 「…」); the quotes stay, the words go.
const quoted = /"[^"\n]*"|“[^”\n]*”|«[^»\n]*»|「[^」\n]*」|『[^』\n]*』/g;
// Phone numbers with or without separators: seven digits or more in one run.
const digitRun = /\+?\d[\d\s().-]{5,}\d/g;

function countDigits(text: string): number {
  let digits = 0;
  for (const char of text) if (char >= '0' && char <= '9') digits += 1;
  return digits;
}

/** A sentence with anything personal or secret replaced by a marker; what is left still says what went wrong. */
export function scrubText(text: string): string {
  return text
    .replace(quoted, (match) => `${match[0]}…${match[match.length - 1]}`)
    .replace(email, '[email]')
    .replace(bearer, '$1 [secret]')
    .replace(opaque, '[id]')
    .replace(digitRun, (match) => (countDigits(match) >= 7 ? '[number]' : match));
}

export type LogValue = string | number | boolean | null | undefined;

/** A log entry's fields as they may be written: sensitive names withheld, strings scrubbed. */
export function scrubFields(fields: Record<string, LogValue> | undefined): Record<string, LogValue> | undefined {
  if (!fields) return undefined;
  const out: Record<string, LogValue> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (sensitiveField.test(key)) out[key] = '[redacted]';
    else out[key] = typeof value === 'string' ? scrubText(value) : value;
  }
  return out;
}
