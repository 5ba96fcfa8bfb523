// The tray's menu and icon as plain data, so they can be tested without Electron.
// tray.ts turns the model into a native Menu and the action ids into calls.
import type { MenuItemConstructorOptions } from 'electron';
import type { ServerState } from '../../shared/events.js';

export type TrayAction =
  | { kind: 'show-window' }
  | { kind: 'start-server' }
  | { kind: 'stop-server' }
  | { kind: 'choose-root' }
  | { kind: 'set-root'; path: string }
  | { kind: 'open-root' }
  | { kind: 'quit' };

export type TrayMenuItem =
  | { type: 'separator' }
  | { type: 'item'; label: string; enabled: boolean; action?: TrayAction }
  | { type: 'submenu'; label: string; enabled: boolean; items: TrayMenuItem[] };

export type TrayIconState = 'stopped' | 'listening' | 'transferring';

/** Long paths are shortened in the middle so the menu stays readable. */
export function shortPath(path: string, max = 48): string {
  if (path.length <= max) return path;
  const keep = Math.floor((max - 1) / 2);
  return `${path.slice(0, keep)}…${path.slice(path.length - keep)}`;
}

function statusLine(state: ServerState, activeSessions: number): string {
  switch (state.state) {
    case 'listening': {
      const ports = [...new Set(state.addresses.map((a) => a.port))].join(', ');
      const base = ports ? `Serving on port ${ports}` : 'Serving';
      return activeSessions > 0
        ? `${base}: ${activeSessions} transfer${activeSessions === 1 ? '' : 's'}`
        : base;
    }
    case 'starting':
      return 'Starting…';
    case 'stopping':
      return 'Stopping…';
    case 'error':
      return `Not serving: ${state.message}`.slice(0, 80);
    case 'stopped':
      return 'Stopped';
  }
}

export function trayMenuModel(
  state: ServerState,
  recentRoots: readonly string[],
  activeSessions: number,
): TrayMenuItem[] {
  const busy = state.state === 'starting' || state.state === 'stopping';
  const running = state.state === 'listening';
  return [
    { type: 'item', label: statusLine(state, activeSessions), enabled: false },
    { type: 'separator' },
    running
      ? { type: 'item', label: 'Stop Server', enabled: !busy, action: { kind: 'stop-server' } }
      : { type: 'item', label: 'Start Server', enabled: !busy, action: { kind: 'start-server' } },
    { type: 'item', label: 'Show TFTP Desk', enabled: true, action: { kind: 'show-window' } },
    { type: 'separator' },
    { type: 'item', label: 'Choose Folder…', enabled: true, action: { kind: 'choose-root' } },
    {
      type: 'submenu',
      label: 'Recent Folders',
      enabled: recentRoots.length > 0,
      items: recentRoots.map((path) => ({
        type: 'item' as const,
        label: shortPath(path),
        enabled: true,
        action: { kind: 'set-root' as const, path },
      })),
    },
    { type: 'item', label: 'Open Served Folder', enabled: true, action: { kind: 'open-root' } },
    { type: 'separator' },
    { type: 'item', label: 'Quit TFTP Desk', enabled: true, action: { kind: 'quit' } },
  ];
}

export function trayIconFor(state: ServerState, activeSessions: number): TrayIconState {
  if (state.state !== 'listening') return 'stopped';
  return activeSessions > 0 ? 'transferring' : 'listening';
}

/** macOS tints "Template" images for light and dark menu bars; other systems use colour icons. */
export function trayIconFile(icon: TrayIconState, platform: NodeJS.Platform): string {
  return `assets/tray/${icon}${platform === 'darwin' ? 'Template' : ''}.png`;
}

export function trayTooltip(state: ServerState, activeSessions: number): string {
  return `TFTP Desk: ${statusLine(state, activeSessions)}`;
}

/** Native menu template from the model; `run` receives the action of the clicked item. */
export function toMenuTemplate(
  items: readonly TrayMenuItem[],
  run: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    if (item.type === 'submenu') {
      return { label: item.label, enabled: item.enabled, submenu: toMenuTemplate(item.items, run) };
    }
    const action = item.action;
    return action
      ? { label: item.label, enabled: item.enabled, click: () => run(action) }
      : { label: item.label, enabled: item.enabled };
  });
}

/** The application menu: macOS needs one for copy/paste and Quit; elsewhere the window has none. */
export function appMenuTemplate(platform: NodeJS.Platform): MenuItemConstructorOptions[] | null {
  if (platform !== 'darwin') return null;
  return [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }];
}
