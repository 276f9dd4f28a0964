import type { IpcError } from '../../../../shared/ipc/errors';

type Translate = (key: string) => string;

/** The words for core's refusal of a label's name or colour (`invalid_request` naming the field); null otherwise. */
export function labelFieldText(t: Translate, error: IpcError, field: 'name' | 'colour'): string | null {
  if (error.code !== 'invalid_request') return null;
  const issue = error.fields?.find((f) => f.path === field);
  if (!issue) return null;
  if (field === 'colour') return t('labels.fields.colour');
  if (issue.message === 'taken') return t('labels.fields.taken');
  if (issue.message === 'required') return t('labels.fields.required');
  return t('labels.fields.tooLong');
}
