// The tray (menu-bar) icon: shows whether the server is serving and lets the user start, stop
// and switch folders without the window. Rebuilt only when what it shows has changed.
import { Menu, Tray, nativeImage } from 'electron';
import { join } from 'node:path';
import type { AppController } from '../app/controller.js';
import type { SettingsStore } from '../app/settings-store.js';
import {
  toMenuTemplate,
  trayIconFile,
  trayIconFor,
  trayMenuModel,
  trayTooltip,
  type TrayAction,
} from './menu.js';

export interface AppTray {
  refresh(): void;
  destroy(): void;
}

export function createAppTray(deps: {
  appRoot: string;
  platform: NodeJS.Platform;
  controller: AppController;
  settings: SettingsStore;
  run: (action: TrayAction) => void;
}): AppTray {
  const { controller, platform } = deps;
  const image = (icon: ReturnType<typeof trayIconFor>) =>
    nativeImage.createFromPath(join(deps.appRoot, trayIconFile(icon, platform)));
  let icon = trayIconFor(controller.serverState, controller.activeSessions);
  const tray = new Tray(image(icon));
  let lastMenu = '';

  function refresh(): void {
    if (tray.isDestroyed()) return;
    const state = controller.serverState;
    const active = controller.activeSessions;
    const nextIcon = trayIconFor(state, active);
    if (nextIcon !== icon) {
      icon = nextIcon;
      tray.setImage(image(icon));
    }
    const model = trayMenuModel(state, deps.settings.get().recentRoots, active);
    const key = JSON.stringify(model);
    if (key === lastMenu) return;
    lastMenu = key;
    tray.setToolTip(trayTooltip(state, active));
    tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(model, deps.run)));
  }

  // Windows and Linux users expect a click on the icon to bring the window back
  if (platform !== 'darwin') tray.on('click', () => deps.run({ kind: 'show-window' }));
  refresh();
  return {
    refresh,
    destroy: () => tray.destroy(),
  };
}
