import type { ErrorCode, FieldIssue, IpcError } from './errors';

/** The envelope every response crosses in, whatever the transport. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, fields?: FieldIssue[], retryAfterMs?: number, metaCode?: number): Result<never> {
  const error: IpcError = { code, message };
  if (fields && fields.length > 0) error.fields = fields;
  if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs;
  if (metaCode !== undefined) error.metaCode = metaCode;
  return { ok: false, error };
}

/** Zod issues → our field list (paths joined with dots). */
export function fieldIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): FieldIssue[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
