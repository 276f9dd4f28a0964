import type { ErrorCode, FieldIssue } from '../../shared/ipc';

/** An expected failure with a stable code; core's dispatcher turns it into `{ ok: false, error }`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldIssue[],
    readonly retryAfterMs?: number,
    readonly metaCode?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
