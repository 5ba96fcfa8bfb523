import { describe, expect, it } from 'vitest';
import { mainWindowOptions, secureWebPreferences } from '../../electron/shell/window-options.js';

describe('main window options', () => {
  it('sets every security preference explicitly', () => {
    const prefs = secureWebPreferences('/app/preload.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });

  it('opens hidden (shown when ready) with the secure preferences', () => {
    const o = mainWindowOptions({ preload: '/p.cjs' });
    expect(o.show).toBe(false);
    expect(o.title).toBe('TFTP Desk');
    expect(o.webPreferences).toEqual(secureWebPreferences('/p.cjs'));
    expect(o).not.toHaveProperty('icon');
    expect(mainWindowOptions({ preload: '/p.cjs', icon: '/i.png' }).icon).toBe('/i.png');
  });
});
