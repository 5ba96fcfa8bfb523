// The one way the UI reaches the server: the Electron preload's `window.tftp` when it exists,
// otherwise the WebSocket bridge of `tftp-desk serve --ui`.
import type { TftpBridge } from '../shared/ipc-contract';
import { WS_PATH } from '../shared/web-protocol';
import { createWsBridge, type ConnectionAware } from './ws-client-bridge';

export type RendererBridge = TftpBridge & Partial<ConnectionAware>;

let instance: RendererBridge | undefined;

export function getBridge(): RendererBridge {
  if (instance !== undefined) return instance;
  if (window.tftp !== undefined) {
    instance = window.tftp;
  } else {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    instance = createWsBridge(`${scheme}//${location.host}${WS_PATH}`);
  }
  return instance;
}
