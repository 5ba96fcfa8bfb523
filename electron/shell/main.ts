// The Electron main process: lifecycle only. It composes the settings store, the app controller,
// the IPC handlers, the window and the tray; the TFTP engine and all app logic live elsewhere.
import { BrowserWindow, Menu, Notification, app, dialog, nativeTheme, protocol, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppController, type AppController } from '../app/controller.js';
import { dhcpPortsFromEnv } from '../app/dhcp-ports.js';
import { createTransferNotifier } from '../app/notifier.js';
import { createConfSettingsStore, ensureDefaultRoot, observeSettings } from '../app/settings-store.js';
import { createConfSyslogSettingsStore } from '../app/syslog-settings-store.js';
import { connectIpc } from '../ipc/electron-ipc.js';
import { createTftpEngine } from '../tftp/index.js';
import { APP_INDEX_URL, APP_SCHEME } from './app-protocol.js';
import { appProtocolResponse } from './app-protocol-response.js';
import { guardContents } from './contents-guard.js';
import { createNativeDialogs } from './dialogs.js';
import { appMenuTemplate, type TrayAction } from './menu.js';
import { createAppTray, type AppTray } from './tray.js';
import { createMainWindow, showWindow } from './window.js';

const APP_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// the renderer is served from app://tftp-desk/ (see app-protocol.ts), never over file://
const DIST_DIR = join(APP_ROOT, 'dist');
const PRELOAD = join(APP_ROOT, 'dist-electron', 'electron', 'shell', 'preload.cjs');
/** quitting waits for the engine to say goodbye to its peers, but never hangs the app */
const QUIT_TIMEOUT_MS = 5000;

let window: BrowserWindow | null = null;
let tray: AppTray | null = null;
let controller: AppController | null = null;
let quitting = false;
let stopped = false;
let openWindow: () => void = () => undefined;
/** closing the last window quits unless the tray keeps the server going */
let keepRunningInTray = (): boolean => false;

async function start(): Promise<void> {
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // the window's session is the default one; every app:// response carries the CSP header
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(DIST_DIR, request));
  Menu.setApplicationMenu(
    appMenuTemplate(process.platform) ? Menu.buildFromTemplate(appMenuTemplate(process.platform)!) : null,
  );

  const applyShell = (s: { theme: 'system' | 'light' | 'dark'; startAtLogin: boolean }) => {
    nativeTheme.themeSource = s.theme;
    if (app.isPackaged) app.setLoginItemSettings({ openAtLogin: s.startAtLogin });
    tray?.refresh();
  };
  const store = observeSettings(createConfSettingsStore({ cwd: app.getPath('userData') }), applyShell);
  if (!store.get().root) {
    try {
      store.set({ root: ensureDefaultRoot(app.getPath('home')) });
    } catch {
      // no default folder (read-only home): the UI asks the user to choose one
    }
  }
  applyShell(store.get());

  const dhcpPorts = dhcpPortsFromEnv();
  const ctl = createAppController({
    settings: store,
    // the boot services' lease file sits beside the settings; the services never start by themselves
    dataDir: app.getPath('userData'),
    ...(dhcpPorts ? { dhcpPorts } : {}),
    createEngine: (settings) => createTftpEngine(settings, { withUi: true }),
    dialogs: createNativeDialogs(() => window),
    platform: process.platform,
    syslogSettings: createConfSyslogSettingsStore({ cwd: app.getPath('userData') }),
  });
  controller = ctl;
  connectIpc(ctl, APP_INDEX_URL, () => (window && !window.isDestroyed() ? window.webContents : null));

  const run = (action: TrayAction): void => {
    switch (action.kind) {
      case 'show-window':
        return openWindow();
      case 'start-server':
        return void ctl.startServer().then(() => tray?.refresh());
      case 'stop-server':
        return void ctl.stopServer().then(() => tray?.refresh());
      case 'choose-root':
        return void ctl.chooseRoot().catch(() => undefined);
      case 'set-root':
        return void ctl.setRoot(action.path);
      case 'open-root':
        return void ctl.openRoot();
      case 'quit':
        return app.quit();
    }
  };

  const settings = store.get();
  const windowDeps = {
    indexUrl: APP_INDEX_URL,
    preload: PRELOAD,
    settings: () => store.get(),
    isQuitting: () => quitting,
    hasTray: () => tray !== null,
  };
  window = createMainWindow(windowDeps, { show: !settings.startMinimized });
  // after a real close (close-to-tray off, or no tray) the tray or dock brings up a new window
  openWindow = () => {
    if (!window || window.isDestroyed()) window = createMainWindow(windowDeps, { show: true });
    else showWindow(window);
  };
  try {
    tray = createAppTray({
      appRoot: APP_ROOT,
      platform: process.platform,
      controller: ctl,
      settings: store,
      run,
    });
  } catch {
    tray = null; // some Linux desktops have no tray: the window then behaves like a normal one
  }

  keepRunningInTray = () => tray !== null && store.get().closeToTray;

  const notifier = createTransferNotifier();
  ctl.on('events', (batch) => {
    tray?.refresh();
    const notices = notifier.notices(batch);
    if (!store.get().notifications || !Notification.isSupported()) return;
    for (const n of notices) new Notification({ title: n.title, body: n.body, silent: true }).show();
  });

  if (settings.autoStart) void ctl.startServer();
  // only when the user left it on: a receiver on 514 is not something to open unasked
  void ctl.startSyslogIfEnabled();
}

// lets tests and portable setups keep their settings apart from the user's
if (process.env.TFTP_DESK_USER_DATA) app.setPath('userData', process.env.TFTP_DESK_USER_DATA);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  // before ready, or the scheme is not standard/secure: a real origin for the page and its modules.
  // No bypassCSP and no corsEnabled: other origins may not read app:// files.
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
  app.on('second-instance', () => openWindow());
  app.on('activate', () => openWindow());
  app.on('window-all-closed', () => {
    // with a tray the server keeps serving; on macOS apps stay open without windows
    if (process.platform !== 'darwin' && !keepRunningInTray()) app.quit();
  });
  app.on('before-quit', (event) => {
    quitting = true;
    if (stopped || !controller) return;
    event.preventDefault();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, QUIT_TIMEOUT_MS));
    void Promise.race([controller.dispose(), timeout]).finally(() => {
      stopped = true;
      tray?.destroy();
      app.quit();
    });
  });
  start().catch((err: unknown) => {
    dialog.showErrorBox('TFTP Desk could not start', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });
}
