import { useI18n } from 'vue-i18n';
import { isBackupFailureReason } from '../../../shared/ipc/backup';
import type { BackupProgressView } from '../../../shared/ipc/backup';
import type { IpcError } from '../../../shared/ipc/errors';
import { formatBytes } from '../utils/inbox-format';
import { useErrorText } from './use-error-text';
import { useLocale } from './use-locale';

/** Sizes, times, ages, time left and refusal reasons of the backup section, in the UI language. */
export function useBackupFormat() {
  const { t } = useI18n();
  const { locale } = useLocale();
  const errorText = useErrorText();

  const size = (bytes: number) => formatBytes(bytes, locale.value);
  const dateTime = (at: number) => new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
  /** 0 = Sunday … 6 = Saturday, named in the UI language (2026-01-04 was a Sunday). */
  const weekday = (day: number) => new Intl.DateTimeFormat(locale.value, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2026, 0, 4 + day));

  /** How long ago `at` was, measured on core's clock (`now`). */
  function age(at: number, now: number): string {
    const minutes = Math.floor(Math.max(0, now - at) / 60_000);
    if (minutes < 1) return t('backup.age.justNow');
    if (minutes < 60) return t('backup.age.minutes', { count: minutes }, minutes);
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return t('backup.age.hours', { count: hours }, hours);
    const days = Math.floor(hours / 24);
    return t('backup.age.days', { count: days }, days);
  }

  function eta(ms: number | null): string {
    if (ms === null) return t('backup.progress.etaUnknown');
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    const time = seconds < 90 ? t('backup.progress.seconds', { count: seconds }, seconds) : t('backup.progress.minutesLeft', { count: Math.ceil(seconds / 60) }, Math.ceil(seconds / 60));
    return t('backup.progress.eta', { time });
  }

  function progressDetail(p: BackupProgressView): string {
    return t('backup.progress.detail', {
      done: size(p.bytesDone),
      total: size(p.bytesTotal),
      files: t('backup.progress.files', { done: p.filesDone, total: p.filesTotal }),
      eta: p.phase === 'done' ? t('backup.progress.done') : eta(p.etaMs),
    });
  }

  /** A refusal in words: the backup's precise reason when it has one, else the error code's sentence. */
  function reasonText(error: Pick<IpcError, 'code' | 'fields'>): string {
    const reason = error.fields?.find((f) => f.path === 'backup')?.message;
    return isBackupFailureReason(reason) ? t(`backup.reasons.${reason}`) : errorText(error);
  }

  const hasReason = (error: Pick<IpcError, 'fields'>) => isBackupFailureReason(error.fields?.find((f) => f.path === 'backup')?.message);

  return { size, dateTime, weekday, age, eta, progressDetail, reasonText, hasReason };
}
