// The Electron side of the typed contract: one ipcMain.handle per INVOKE_METHODS entry, each
// checking who calls (our top frame) and what it passes, then calling the controller.
// Only types come from 'electron' here, so tests can drive it with a stand-in ipcMain.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import {
  EVENT_CHANNELS,
  INVOKE_METHODS,
  eventChannel,
  invokeChannel,
  type EventChannel,
} from '../../shared/ipc-contract.js';
import type { AppController } from '../app/controller.js';
import { checkInvoke } from '../app/invoke-args.js';
import { isTrustedSender } from './trusted-sender.js';

export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;

export function isTrustedEvent(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, appIndexUrl: string): boolean {
  const frame = event.senderFrame;
  return !!frame && frame.parent === null && isTrustedSender(frame.url, appIndexUrl);
}

/** Registers every handler; returns a function that removes them. */
export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  controller: AppController,
  appIndexUrl: string,
): () => void {
  for (const method of INVOKE_METHODS) {
    ipcMain.handle(invokeChannel(method), async (event, ...args: unknown[]) => {
      if (!isTrustedEvent(event, appIndexUrl)) throw new Error('This request did not come from TFTP Desk.');
      const call = checkInvoke(method, args);
      if (!call.ok) throw new Error(call.error);
      const fn = controller[call.method] as (...a: unknown[]) => Promise<unknown>;
      return fn(...call.args);
    });
  }
  return () => {
    for (const method of INVOKE_METHODS) ipcMain.removeHandler(invokeChannel(method));
  };
}

export type PushTarget = Pick<WebContents, 'send' | 'isDestroyed'>;

/** Forwards every channel's pushes to whichever window is current (there may be none). */
export function forwardPushes(controller: AppController, target: () => PushTarget | null): () => void {
  const forward = <K extends EventChannel>(channel: K) =>
    controller.on(channel, (payload) => {
      const wc = target();
      if (wc && !wc.isDestroyed()) wc.send(eventChannel(channel), payload);
    });
  const offs = EVENT_CHANNELS.map(forward);
  return () => offs.forEach((off) => off());
}
