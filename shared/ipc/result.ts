import type { ErrorCode, FieldIssue, IpcError } from './errors';

/** The envelope every response crosses in, whatever the transport. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, fields?: FieldIssue[]): Result<never> {
  return fields && fields.length > 0
    ? { ok: false, error: { code, message, fields } }
    : { ok: false, error: { code, message } };
}

/** Zod issues → our field list (paths joined with dots). */
export function fieldIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): FieldIssue[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
