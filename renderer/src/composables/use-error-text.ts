import { useI18n } from 'vue-i18n';
import { isErrorCode } from '../../../shared/ipc/errors';
import type { ErrorCode, IpcError } from '../../../shared/ipc/errors';

export type ErrorMessageKey = `errors.${ErrorCode}`;

/** `errors.<code>`; a code this build does not know (a newer core) reads as the generic failure. */
export function errorMessageKey(code: string): ErrorMessageKey {
  return `errors.${isErrorCode(code) ? code : 'internal'}`;
}

/** Meta refused or could not be reached: `message` is then Meta's own reason, worth showing beside ours. */
export function isMetaError(code: string): boolean {
  return code.startsWith('meta_');
}

/** Turns an IPC error into the sentence staff read, in the current language. */
export function useErrorText() {
  const { t } = useI18n();
  return (error: Pick<IpcError, 'code'>): string => t(errorMessageKey(error.code));
}

/**
 * For a Meta error, Meta's own reason with its code — `(190: Error validating access token …)` — to show after
 * the translated sentence; null for any other error, or when there is no reason to show.
 */
export function useMetaReasonText() {
  const { t } = useI18n();
  return (error: Pick<IpcError, 'code'> & Partial<Pick<IpcError, 'message' | 'metaCode'>>): string | null => {
    if (!isMetaError(error.code)) return null;
    const reason = error.message?.trim() ?? '';
    if (error.metaCode === undefined) return reason ? t('common.metaReasonOnly', { reason }) : null;
    if (!reason) return t('common.metaCodeOnly', { code: error.metaCode });
    // A reason that already starts with the number (`190: …`) is not given it twice.
    const numbered = new RegExp(`^${error.metaCode}(?!\\d)`).test(reason);
    return numbered ? t('common.metaReasonOnly', { reason }) : t('common.metaReason', { code: error.metaCode, reason });
  };
}
