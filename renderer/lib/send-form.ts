// The "Send to device" form as data: what was typed, and the request it means (or what is wrong
// with it). The local file is a name in the served folder, or a full path elsewhere: picked with
// the desktop's dialog, or typed in the browser UI (a path on the server's machine).
import type { ClientTransferRequest } from '../../shared/client-contract';
import type { TransferMode } from '../../shared/tftp-types';

export interface SendDraft {
  direction: 'put' | 'get';
  device: string;
  /** where the local file is: in the served folder (by name) or elsewhere (by full path) */
  where: 'served' | 'elsewhere';
  localName: string;
  localPath: string;
  remoteName: string;
  blksize: string;
  windowsize: string;
  mode: TransferMode;
  timeout: string;
  wait: string;
}

export const INITIAL_SEND_DRAFT: SendDraft = {
  direction: 'put',
  device: '',
  where: 'served',
  localName: '',
  localPath: '',
  remoteName: '',
  blksize: '1468',
  windowsize: '1',
  mode: 'octet',
  timeout: '3',
  wait: '0',
};

/** A whole number typed in a field, or undefined when left empty (the engine's default then). */
function wholeNumber(text: string, label: string): number | undefined | string {
  const t = text.trim();
  if (t === '') return undefined;
  return /^\d+$/.test(t) ? Number(t) : `${label} must be a whole number.`;
}

/** The last part of a name or path, either separator. */
export const lastPart = (name: string) => name.split(/[\\/]/).pop() ?? name;

/** The request the form describes, or what is wrong with it. */
export function sendRequestOf(d: SendDraft): ClientTransferRequest | string {
  if (d.device.trim() === '') return 'Enter the device address.';
  const elsewhere = d.where === 'elsewhere';
  const path = d.localPath.trim();
  if (elsewhere && path === '')
    return d.direction === 'put' ? 'Choose the file to send.' : 'Choose where to save the file.';
  if (!elsewhere && d.localName.trim() === '' && d.direction === 'put')
    return 'Choose a file from the served folder.';
  const local = elsewhere ? path : d.localName.trim();
  const remoteName = d.remoteName.trim() || lastPart(local);
  if (remoteName === '') return 'Enter the file name on the device.';
  const numbers = {
    blksize: wholeNumber(d.blksize, 'Block size'),
    windowsize: wholeNumber(d.windowsize, 'Window size'),
    timeoutSeconds: wholeNumber(d.timeout, 'Timeout'),
    waitSeconds: wholeNumber(d.wait, 'Wait'),
  };
  const bad = Object.values(numbers).find((v) => typeof v === 'string');
  if (typeof bad === 'string') return bad;
  const request: ClientTransferRequest = {
    direction: d.direction,
    device: d.device.trim(),
    localName: elsewhere ? '' : local || lastPart(remoteName),
    remoteName,
    mode: d.mode,
  };
  if (elsewhere) request.localPath = path;
  for (const [key, value] of Object.entries(numbers))
    if (typeof value === 'number') Object.assign(request, { [key]: value });
  return request;
}
