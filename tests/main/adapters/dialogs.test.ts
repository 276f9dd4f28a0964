import { describe, expect, it, vi } from 'vitest';
import { createElectronDialogs } from '../../../electron/main/adapters/dialogs';

function fakeDialog(open: { canceled: boolean; filePaths: string[] }, save: { canceled: boolean; filePath: string }) {
  return { showOpenDialog: vi.fn(async (..._args: unknown[]) => open), showSaveDialog: vi.fn(async (..._args: unknown[]) => save) };
}

describe('the dialogs port', () => {
  it('chooses a folder, attached to the app window', async () => {
    const dialog = fakeDialog({ canceled: false, filePaths: ['/home/desk/Backups'] }, { canceled: true, filePath: '' });
    const window = { id: 1 };
    const dialogs = createElectronDialogs(dialog as never, () => window as never);
    await expect(dialogs.chooseFolder({ title: 'Back up to', defaultPath: '/home/desk' })).resolves.toBe('/home/desk/Backups');
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(window, expect.objectContaining({ title: 'Back up to', defaultPath: '/home/desk', properties: expect.arrayContaining(['openDirectory']) }));
    const properties = (dialog.showOpenDialog.mock.calls[0]![1] as { properties: string[] }).properties;
    expect(properties).not.toContain('openFile');
  });

  it('answers null when the user cancels', async () => {
    const dialog = fakeDialog({ canceled: true, filePaths: [] }, { canceled: true, filePath: '' });
    const dialogs = createElectronDialogs(dialog as never, () => null);
    await expect(dialogs.chooseFolder({ title: 'Back up to' })).resolves.toBeNull();
    await expect(dialogs.chooseSaveFile({ title: 'Save', defaultName: 'a.pdf' })).resolves.toBeNull();
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(expect.objectContaining({ title: 'Back up to' }));
  });

  it('chooses where to save, suggesting the name', async () => {
    const dialog = fakeDialog({ canceled: true, filePaths: [] }, { canceled: false, filePath: '/home/desk/invoice.pdf' });
    const dialogs = createElectronDialogs(dialog as never, () => null);
    await expect(dialogs.chooseSaveFile({ title: 'Save document', defaultName: 'invoice.pdf' })).resolves.toBe('/home/desk/invoice.pdf');
    expect(dialog.showSaveDialog).toHaveBeenCalledWith(expect.objectContaining({ title: 'Save document', defaultPath: 'invoice.pdf' }));
  });
});
