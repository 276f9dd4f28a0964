import { useI18n } from 'vue-i18n';
import { minPassphraseLength } from '../../../shared/rules/passphrase';
import type { NewPassphraseProblem } from '../utils/passphrase-form';

/** A new-passphrase problem in words, in the current language (kept as a code so a language switch follows). */
export function usePassphraseProblemText() {
  const { t } = useI18n();
  return (problem: NewPassphraseProblem | null): string | null => {
    if (problem === 'tooShort') return t('workspace.passphrase.tooShort', { min: minPassphraseLength });
    if (problem === 'mismatch') return t('workspace.passphrase.mismatch');
    return null;
  };
}
