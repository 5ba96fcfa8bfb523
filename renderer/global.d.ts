import type { TftpBridge } from '../shared/ipc-contract';

declare global {
  interface Window {
    /** exposed by the Electron preload; absent in a browser (the WebSocket bridge stands in) */
    tftp?: TftpBridge;
  }
}
