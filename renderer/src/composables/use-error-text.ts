import { useI18n } from 'vue-i18n';
import { isErrorCode } from '../../../shared/ipc/errors';
import type { ErrorCode, IpcError } from '../../../shared/ipc/errors';

export type ErrorMessageKey = `errors.${ErrorCode}`;

/** `errors.<code>`; a code this build does not know (a newer core) reads as the generic failure. */
export function errorMessageKey(code: string): ErrorMessageKey {
  return `errors.${isErrorCode(code) ? code : 'internal'}`;
}

/** Turns an IPC error into the sentence staff read, in the current language. */
export function useErrorText() {
  const { t } = useI18n();
  return (error: Pick<IpcError, 'code'>): string => t(errorMessageKey(error.code));
}
