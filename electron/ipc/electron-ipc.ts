// The desktop app's IPC on Electron's own ipcMain: the one place besides the preload that holds it
// (lint-enforced). The handlers and the push forwarding (handlers.ts) take any ipcMain and any
// window, so tests drive them without Electron.
import { ipcMain } from 'electron';
import type { AppController } from '../app/controller.js';
import { forwardPushes, registerIpcHandlers, type PushTarget } from './handlers.js';

/** Answers every contract call and forwards every push channel; returns a function that undoes both. */
export function connectIpc(
  controller: AppController,
  appIndexUrl: string,
  currentWindow: () => PushTarget | null,
): () => void {
  const offCalls = registerIpcHandlers(ipcMain, controller, appIndexUrl);
  const offPushes = forwardPushes(controller, currentWindow);
  return () => {
    offCalls();
    offPushes();
  };
}
