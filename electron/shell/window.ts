// The main window: the bundled renderer from app://tftp-desk/index.html, secure preferences, and
// close-to-tray (closing hides the window while the server keeps serving).
import { BrowserWindow } from 'electron';
import type { AppSettings } from '../../shared/settings.js';
import { mainWindowOptions } from './window-options.js';

export interface MainWindowDeps {
  /** app://tftp-desk/index.html, served by the app protocol from dist/ */
  indexUrl: string;
  preload: string;
  icon?: string;
  settings: () => AppSettings;
  /** true once the user chose Quit: closing must then really close */
  isQuitting: () => boolean;
  /** whether a tray exists to come back from (no tray: closing quits) */
  hasTray: () => boolean;
}

export function createMainWindow(deps: MainWindowDeps, opts: { show: boolean }): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions({ preload: deps.preload, icon: deps.icon }));
  win.once('ready-to-show', () => {
    if (opts.show) win.show();
  });
  win.on('close', (event) => {
    if (!deps.isQuitting() && deps.hasTray() && deps.settings().closeToTray) {
      event.preventDefault();
      win.hide();
    }
  });
  void win.loadURL(deps.indexUrl);
  return win;
}

export function showWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
