// Every web contents the app creates is locked down the same way: no popups, no webviews, and
// navigation (or a redirect) only within the app origin, app://tftp-desk/. Denying rather than
// filtering elsewhere is what stops a sub-frame from taking the top frame somewhere else
// (CVE-2020-15174). Types only from 'electron', so tests drive it with a stand-in.
import type { WebContents } from 'electron';
import { isAppUrl } from './app-protocol.js';

export type GuardedContents = Pick<WebContents, 'setWindowOpenHandler' | 'on'>;

/** The navigation guard: true when the page may go to `url`. */
export function mayNavigate(url: unknown): boolean {
  return isAppUrl(url);
}

export function guardContents(contents: GuardedContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => {
    if (!mayNavigate(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!mayNavigate(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
