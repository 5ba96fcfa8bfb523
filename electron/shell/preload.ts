// The only bridge between the sandboxed page and the main process: `window.tftp`, built from the
// contract's method list. No ipcRenderer, no channel names, no Node objects cross; event listeners
// receive only the payload (never the IPC event, which would expose the sender).
// Bundled to CommonJS (dist-electron/electron/shell/preload.cjs) because sandboxed preloads cannot load ESM.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  INVOKE_METHODS,
  eventChannel,
  invokeChannel,
  isEventChannel,
  type EventChannel,
  type TftpBridge,
} from '../../shared/ipc-contract.js';

const calls = Object.fromEntries(
  INVOKE_METHODS.map((method) => [
    method,
    (...args: unknown[]) => ipcRenderer.invoke(invokeChannel(method), ...args),
  ]),
);

const bridge = {
  ...calls,
  on(channel: EventChannel, listener: (payload: unknown) => void): () => void {
    if (!isEventChannel(channel)) throw new Error(`Unknown event channel: ${String(channel)}`);
    if (typeof listener !== 'function') throw new Error('The listener must be a function.');
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(eventChannel(channel), wrapped);
    return () => void ipcRenderer.removeListener(eventChannel(channel), wrapped);
  },
  pathForFile(file: File): string {
    try {
      return webUtils.getPathForFile(file);
    } catch {
      return '';
    }
  },
} as unknown as TftpBridge;

contextBridge.exposeInMainWorld('tftp', bridge);
