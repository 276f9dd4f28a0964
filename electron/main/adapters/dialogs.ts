/** The dialogs port over Electron's native dialogs, attached to the app window when there is one. */
import type { BaseWindow, Dialog, OpenDialogOptions, SaveDialogOptions } from 'electron';
import type { DialogsPort } from '../../core/ports';

export type DialogLike = Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>;

export function createElectronDialogs(dialog: DialogLike, parent: () => BaseWindow | null): DialogsPort {
  const open = (options: OpenDialogOptions) => {
    const window = parent();
    return window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options);
  };
  const save = (options: SaveDialogOptions) => {
    const window = parent();
    return window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options);
  };
  return {
    async chooseFolder({ title, defaultPath }) {
      const result = await open({ title, defaultPath, properties: ['openDirectory', 'createDirectory'] });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async chooseSaveFile({ title, defaultName }) {
      const result = await save({ title, defaultPath: defaultName, properties: ['createDirectory', 'showOverwriteConfirmation'] });
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseOpenFile({ title, filters }) {
      const result = await open({ title, properties: ['openFile'], ...(filters ? { filters } : {}) });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
