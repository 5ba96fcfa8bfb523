// The browser bridge's wire format: `tftp-desk serve --ui` serves the renderer over HTTP on loopback,
// and the page talks to the same TftpInvoke calls over one WebSocket at WS_PATH.
//
// Authentication: the printed URL carries `?token=...`; the server answers it by setting the
// HttpOnly, SameSite=Strict cookie TOKEN_COOKIE and redirecting to `/`. Every HTTP request and the
// WebSocket upgrade must carry the cookie (or the query token); otherwise 401. Host and Origin must
// name the loopback address the server listens on (DNS-rebinding defence).
import type { EventChannels, TftpInvoke } from './ipc-contract.js';

export const WS_PATH = '/ws';
export const TOKEN_COOKIE = 'tftp_desk_token';

export interface WebRequest<K extends keyof TftpInvoke = keyof TftpInvoke> {
  id: number;
  method: K;
  args: Parameters<TftpInvoke[K]>;
}

export type WebResponse =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export interface WebPush<K extends keyof EventChannels = keyof EventChannels> {
  push: K;
  payload: EventChannels[K];
}

export type WebServerMessage = WebResponse | WebPush;
