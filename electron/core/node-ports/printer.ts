import { readFile } from 'node:fs/promises';
import type { PrintPort } from '../ports';

export interface PrintRecord {
  title: string;
  path: string;
  /** The file as it was when printing was asked for (core removes its temporary copy afterwards). */
  html: string;
  bytes: number;
}

export interface RecordingPrinter extends PrintPort {
  /** Every print asked for, oldest first (the last 20). */
  readonly requests: readonly PrintRecord[];
  /** What the next dialogs answer (default: printed). */
  answer(printed: boolean): void;
}

const kept = 20;

/** Printing without a printer, for tests and the preview host: the request and the file are recorded. */
export function createRecordingPrinter(): RecordingPrinter {
  const requests: PrintRecord[] = [];
  let printed = true;
  return {
    requests,
    answer(next) {
      printed = next;
    },
    async printHtmlFile({ path, title }) {
      const html = await readFile(path, 'utf8');
      requests.push({ title, path, html, bytes: Buffer.byteLength(html) });
      if (requests.length > kept) requests.splice(0, requests.length - kept);
      return { printed };
    },
  };
}
