// The desktop's side of NativeDialogs (electron/app/native-dialogs.ts): Electron's pickers, parented
// to the main window when there is one, and the system file manager.
import { app, dialog, shell, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import type { NativeDialogs } from '../app/native-dialogs.js';

/** `window` is asked at each call: the main window can be closed and made again while the app runs. */
export function createNativeDialogs(window: () => BrowserWindow | null): NativeDialogs {
  return {
    async chooseFolder(defaultPath) {
      const options = {
        title: 'Choose the folder to serve',
        defaultPath,
        properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[],
      };
      const parent = window();
      const r = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    openFolder: (path) => shell.openPath(path),
    async chooseOpenFile(defaultPath) {
      const options = {
        title: 'Choose the file to send',
        defaultPath,
        properties: ['openFile'] as 'openFile'[],
      };
      const parent = window();
      const r = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async chooseSaveFile(defaultPath) {
      const options = { title: 'Save the file from the device as', defaultPath };
      const parent = window();
      const r = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async chooseSavePath(name) {
      const options = {
        defaultPath: join(app.getPath('documents'), name),
        filters: [{ name: 'Text', extensions: ['txt'] }],
      };
      const parent = window();
      const r = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}
