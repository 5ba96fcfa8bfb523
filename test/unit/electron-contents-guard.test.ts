import { describe, expect, it } from 'vitest';
import { guardContents, mayNavigate, type GuardedContents } from '../../electron/shell/contents-guard.js';

type Listener = (event: { url?: string; preventDefault(): void }) => void;

/** Records what guardContents installs, so each event can be fired with a URL. */
function recordingContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    setWindowOpenHandler: (h: typeof openHandler) => void (openHandler = h),
    on: (name: string, listener: Listener) => {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
      return contents;
    },
  };
  guardContents(contents as unknown as GuardedContents);
  const fire = (name: string, url?: string): boolean => {
    let prevented = false;
    const event = { url, preventDefault: () => void (prevented = true) };
    const ls = listeners.get(name) ?? [];
    expect(ls.length, name).toBe(1);
    for (const l of ls) l(event);
    return prevented;
  };
  return { fire, open: (url: string) => openHandler!({ url }) };
}

const OUTSIDE = [
  'https://example.com/',
  'http://127.0.0.1:8080/',
  'file:///etc/passwd',
  'file:///opt/tftp-desk/resources/app.asar/dist/index.html',
  'app://evil/index.html',
  'app://tftp-desk:8080/',
  'app://user@tftp-desk/',
  'javascript:alert(1)',
  'data:text/html,hi',
  'about:blank',
  'smb://host/share',
  '',
];

describe('contents guard', () => {
  it('lets the page move only within app://tftp-desk/', () => {
    const c = recordingContents();
    for (const url of ['app://tftp-desk/index.html', 'app://tftp-desk/settings', 'app://tftp-desk/#/log']) {
      expect(mayNavigate(url), url).toBe(true);
      expect(c.fire('will-navigate', url), url).toBe(false);
      expect(c.fire('will-redirect', url), url).toBe(false);
    }
    for (const url of [...OUTSIDE, undefined]) {
      expect(mayNavigate(url), String(url)).toBe(false);
      expect(c.fire('will-navigate', url), String(url)).toBe(true);
      expect(c.fire('will-redirect', url), String(url)).toBe(true);
    }
  });

  it('denies every popup and webview, our own origin included', () => {
    const c = recordingContents();
    for (const url of ['app://tftp-desk/index.html', ...OUTSIDE])
      expect(c.open(url)).toEqual({ action: 'deny' });
    expect(c.fire('will-attach-webview')).toBe(true);
  });
});
