// `tftp-desk serve --ui`: the desktop app's controller without Electron, its UI served to a
// browser on loopback. Settings live in memory, seeded from the command line.
import { fileURLToPath } from 'node:url';
import { APP_DEFAULTS, type EngineSettings } from '../../shared/settings.js';
import { createAppController } from '../app/controller.js';
import { createMemorySettingsStore } from '../app/settings-store.js';
import type { TftpEngine } from '../tftp/index.js';
import { startUiServer } from '../web/ui-server.js';

export interface HeadlessUi {
  url: string;
  close(): Promise<void>;
}

/** The built renderer (vite build output). */
const STATIC_DIR = fileURLToPath(new URL('../../../dist', import.meta.url));

export async function startHeadlessUi(opts: {
  engine: TftpEngine;
  settings: EngineSettings;
  uiPort: number;
}): Promise<HeadlessUi> {
  const store = createMemorySettingsStore({ ...APP_DEFAULTS, ...opts.settings, autoStart: true });
  const controller = createAppController({
    settings: store,
    // One engine for the process: the controller reconfigures it rather than making another.
    createEngine: (s) => {
      opts.engine.updateSettings(s);
      return opts.engine;
    },
    platform: process.platform,
  });
  const server = await startUiServer({ controller, staticDir: STATIC_DIR, port: opts.uiPort });
  await controller.startServer();
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await controller.dispose();
    },
  };
}
