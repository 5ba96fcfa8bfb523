import { describe, expect, it } from 'vitest';
import type { ServerState } from '../../shared/events.js';
import {
  appMenuTemplate,
  shortPath,
  toMenuTemplate,
  trayIconFile,
  trayIconFor,
  trayMenuModel,
  trayTooltip,
  type TrayAction,
  type TrayMenuItem,
} from '../../electron/shell/menu.js';

const listening: ServerState = {
  state: 'listening',
  root: '/srv/tftp',
  addresses: [
    { address: '127.0.0.1', port: 69, family: 'IPv4' },
    { address: '::1', port: 69, family: 'IPv6' },
  ],
};

const labels = (items: TrayMenuItem[]) => items.map((i) => (i.type === 'separator' ? '—' : i.label));

describe('tray menu model', () => {
  it('offers Start when stopped and Stop when listening, with a status line', () => {
    const stopped = trayMenuModel({ state: 'stopped' }, [], 0);
    expect(labels(stopped)).toEqual([
      'Stopped',
      '—',
      'Start Server',
      'Show TFTP Desk',
      '—',
      'Choose Folder…',
      'Recent Folders',
      'Open Served Folder',
      '—',
      'Quit TFTP Desk',
    ]);
    const running = trayMenuModel(listening, [], 3);
    expect(labels(running).slice(0, 3)).toEqual(['Serving on port 69: 3 transfers', '—', 'Stop Server']);
    expect(running[2]).toMatchObject({ enabled: true, action: { kind: 'stop-server' } });
    expect(labels(trayMenuModel(listening, [], 1))[0]).toBe('Serving on port 69: 1 transfer');
  });

  it('disables Start/Stop while the server is changing state and shows errors', () => {
    expect(trayMenuModel({ state: 'starting' }, [], 0)[2]).toMatchObject({
      label: 'Start Server',
      enabled: false,
    });
    expect(trayMenuModel({ state: 'stopping' }, [], 0)[2]).toMatchObject({ enabled: false });
    const err = trayMenuModel({ state: 'error', code: 'EADDRINUSE', message: 'Port 69 is in use.' }, [], 0);
    expect(err[0]).toMatchObject({ label: 'Not serving: Port 69 is in use.', enabled: false });
    expect(err[2]).toMatchObject({ label: 'Start Server', enabled: true });
  });

  it('lists recent folders as set-root actions, shortened for display only', () => {
    const long = '/home/engineer/projects/customer-site-a/firmware/2024/switches/core';
    const model = trayMenuModel({ state: 'stopped' }, ['/srv/tftp', long], 0);
    const recent = model.find((i) => i.type === 'submenu');
    expect(recent).toMatchObject({ enabled: true });
    if (recent?.type !== 'submenu') throw new Error('no submenu');
    expect(recent.items[0]).toMatchObject({
      label: '/srv/tftp',
      action: { kind: 'set-root', path: '/srv/tftp' },
    });
    expect(recent.items[1]).toMatchObject({ action: { kind: 'set-root', path: long } });
    expect((recent.items[1] as { label: string }).label.length).toBeLessThanOrEqual(48);
    expect(trayMenuModel({ state: 'stopped' }, [], 0).find((i) => i.type === 'submenu')).toMatchObject({
      enabled: false,
    });
    expect(shortPath('/a/b')).toBe('/a/b');
    expect(shortPath('x'.repeat(100), 21)).toBe('x'.repeat(10) + '…' + 'x'.repeat(10));
  });

  it('builds a native template whose clicks run the actions', () => {
    const ran: TrayAction[] = [];
    const template = toMenuTemplate(trayMenuModel(listening, ['/srv/a'], 0), (a) => ran.push(a));
    expect(template[0]).toEqual({ label: 'Serving on port 69', enabled: false });
    expect(template[1]).toEqual({ type: 'separator' });
    const click = (item: (typeof template)[number]) => (item.click as unknown as () => void)();
    click(template[2]!);
    const sub = template.find((t) => t.label === 'Recent Folders')!.submenu as typeof template;
    click(sub[0]!);
    click(template.at(-1)!);
    expect(ran).toEqual([{ kind: 'stop-server' }, { kind: 'set-root', path: '/srv/a' }, { kind: 'quit' }]);
  });
});

describe('tray icon', () => {
  it('tells stopped, listening and transferring apart', () => {
    expect(trayIconFor({ state: 'stopped' }, 0)).toBe('stopped');
    expect(trayIconFor({ state: 'error', code: 'EACCES', message: 'x' }, 0)).toBe('stopped');
    expect(trayIconFor({ state: 'starting' }, 0)).toBe('stopped');
    expect(trayIconFor(listening, 0)).toBe('listening');
    expect(trayIconFor(listening, 2)).toBe('transferring');
  });

  it('uses template images on macOS and colour images elsewhere', () => {
    expect(trayIconFile('listening', 'darwin')).toBe('assets/tray/listeningTemplate.png');
    expect(trayIconFile('transferring', 'win32')).toBe('assets/tray/transferring.png');
    expect(trayIconFile('stopped', 'linux')).toBe('assets/tray/stopped.png');
    expect(trayTooltip(listening, 0)).toBe('TFTP Desk: Serving on port 69');
  });

  it('has an application menu only on macOS', () => {
    expect(appMenuTemplate('linux')).toBeNull();
    expect(appMenuTemplate('win32')).toBeNull();
    expect(appMenuTemplate('darwin')!.map((m) => m.role)).toEqual(['appMenu', 'editMenu', 'windowMenu']);
  });
});
