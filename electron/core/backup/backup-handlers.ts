/**
 * The backup channels (PRODUCT §12) over the backup runtime. Folders and files are chosen through the dialogs
 * port; the renderer refers to a chosen backup file by the id `backup:choose-file` gave.
 */
import type { backupChannels } from '../../../shared/ipc/backup';
import type { ChannelHandlers } from '../dispatcher';
import type { BackupRuntime } from './backup-runtime';

type BackupChannel = keyof typeof backupChannels;

export function createBackupHandlers(runtime: BackupRuntime): Pick<ChannelHandlers, BackupChannel> {
  return {
    'backup:get': () => runtime.view(),
    'backup:save-settings': (request) => runtime.saveSettings(request),
    'backup:choose-destination': () => runtime.chooseDestination(),
    'backup:use-cloud-folder': ({ path }) => runtime.useCloudFolder(path),
    'backup:run': () => runtime.run(),
    'backup:cancel': () => runtime.cancel(),
    'backup:choose-file': () => runtime.chooseFile(),
    'backup:verify': (request) => runtime.verify(request),
    'backup:restore-new': (request) => runtime.restoreNew(request),
    'backup:replace': (request) => runtime.replace(request),
    'backup:confirm-replace': () => runtime.confirmReplace(),
    'backup:rollback-replace': () => runtime.rollbackReplace(),
  };
}
