// What the "Send to device" panel's calls and pushes carry between the app and a window: one
// client transfer (push a file from the served folder to a device, or pull one into it), its
// progress and its outcome. Pure data (JSON-safe): no Node, no DOM.
import { MAX_RECENT_DEVICES } from './settings.js';
import type { ClientTransferResult, TftpClientErrorCode } from './tftp-client.js';
import type { TransferMode } from './tftp-types.js';

export interface ClientTransferRequest {
  direction: 'put' | 'get';
  /** HOST, HOST:PORT, an IPv6 address, or [IPv6]:PORT (port 69 when absent) */
  device: string;
  /** the file in the served folder, relative to it: read by a put, written by a get */
  localName: string;
  /**
   * A file anywhere on the machine running the app, as a full path, used instead of `localName`:
   * one picked with the desktop's file dialog, or typed in the browser UI (a path on the server's
   * machine, not on the browser's).
   */
  localPath?: string;
  /** the file's name on the device */
  remoteName: string;
  blksize?: number;
  windowsize?: number;
  mode?: TransferMode;
  /** seconds (1-255) */
  timeoutSeconds?: number;
  /** keep asking this long for a device that is still booting (0-3600 s) */
  waitSeconds?: number;
}

/** What the desktop's file dialog is opened for: a file to send, or where to save a fetched one. */
export interface ClientFileChoice {
  direction: 'put' | 'get';
  /** for a get: the name the save dialog suggests (in the served folder) */
  suggestedName?: string;
}

/** The panel's transfer: none yet, running, done, or failed (with a sentence for a person). */
export type ClientTransferState =
  | { state: 'idle' }
  | {
      state: 'running';
      id: number;
      request: ClientTransferRequest;
      /** bytes moved so far */
      bytes: number;
      /** the file's size when known */
      total?: number;
      /** ms since the transfer started */
      elapsedMs: number;
    }
  | { state: 'done'; id: number; request: ClientTransferRequest; result: ClientTransferResult }
  | {
      state: 'failed';
      id: number;
      request: ClientTransferRequest;
      code: TftpClientErrorCode | 'INTERNAL';
      /** what happened, worded for a person; the device's own text is escaped */
      message: string;
    };

export interface ClientSnapshot {
  transfer: ClientTransferState;
  /** device addresses used lately, newest first */
  recentDevices: string[];
}

/** Splits HOST[:PORT]: a bare IPv6 address has several colons, a bracketed one may carry a port. */
export function parseDeviceAddress(text: string): { host: string; port: number } | string {
  const t = text.trim();
  if (t.length === 0) return 'Enter the device address.';
  if (t.length > 255 || /[\s\0]/.test(t)) return 'That device address is not valid.';
  let host = t;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
  } else if (t.includes('[') || t.includes(']')) {
    return 'That device address is not valid.';
  } else if (t.split(':').length === 2) {
    [host, portText] = t.split(':') as [string, string];
  }
  if (host.length === 0) return 'Enter the device address.';
  if (portText === undefined) return { host, port: 69 };
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535)
    return 'The port must be a whole number from 1 to 65535.';
  return { host, port };
}

/** Puts `device` first, drops its older copy, keeps at most MAX_RECENT_DEVICES. */
export function pushRecentDevice(list: readonly string[], device: string): string[] {
  return [device, ...list.filter((d) => d !== device)].slice(0, MAX_RECENT_DEVICES);
}
