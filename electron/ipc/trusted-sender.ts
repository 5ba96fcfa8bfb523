// An IPC call is honoured only from our own page: a top frame on the app origin, app://tftp-desk,
// which serves nothing but the bundled renderer. Anything else (a navigated-away frame, a file:,
// data: or http: URL, another app:// host) is refused.
import { isSameAppOrigin } from '../shell/app-protocol.js';

/** Any page of `app://tftp-desk/`, with any path, hash or query, is our page; nothing else is. */
export function isTrustedSender(frameUrl: string | undefined | null, appIndexUrl: string): boolean {
  return isSameAppOrigin(frameUrl, appIndexUrl);
}
