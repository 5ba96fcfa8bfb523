// The "Send to device" transfer inside the app: one client transfer at a time between this machine
// and a device's TFTP server (push firmware into a recovery mode, or pull a file off it).
// Local names are confined to the served folder like every other name from a window; a file
// elsewhere comes as a full path: in the desktop app only one its own file dialog returned (a
// window never hands the main process a path of its own making), in the browser UI a typed one
// (the person there is already trusted with the server's folders). The engine reports progress at
// most ten times a second, and the windows get each report as it comes.
import { lstat, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  parseDeviceAddress,
  pushRecentDevice,
  type ClientFileChoice,
  type ClientSnapshot,
  type ClientTransferRequest,
  type ClientTransferState,
} from '../../shared/client-contract.js';
import { displayText } from '../../shared/display-text.js';
import type { SessionEvent } from '../../shared/events.js';
import type { Result } from '../../shared/ipc-contract.js';
import type { TftpClientErrorCode } from '../../shared/tftp-client.js';
import { TFTP_ERROR_NAMES, type TftpErrorCode } from '../../shared/tftp-types.js';
import { isTftpClientError, tftpGet, tftpPut, type TftpClientError } from '../tftp/index.js';
import { readableFile, writableTarget } from './client-local.js';
import { clientSessionEvents } from './client-sessions.js';
import { isInside, resolveInRoot } from './root-files.js';

/** The contract's client calls, as the controller exposes them. */
export interface ClientCalls {
  getClientState(): Promise<ClientSnapshot>;
  startClientTransfer(request: ClientTransferRequest): Promise<Result<ClientTransferState>>;
  cancelClientTransfer(): Promise<ClientTransferState>;
  chooseClientFile(choice: ClientFileChoice): Promise<string | null>;
}

export interface ClientHost {
  readonly calls: ClientCalls;
  /** cancels a running transfer and waits for its clean-up */
  dispose(): Promise<void>;
}

export interface ClientHostDeps {
  /** the served folder ('' when none is chosen) */
  root: () => string;
  emit: (state: ClientTransferState) => void;
  /** the transfer as session events, for the live list and the history the server's transfers fill */
  session: (event: SessionEvent) => void;
  now: () => number;
  /** where the recent device addresses are kept (the settings file in the app) */
  recentDevices: { get(): readonly string[]; set(list: string[]): void };
  /**
   * The desktop's file dialog. With it, a full path is accepted only when it came from it; without
   * it (the browser UI), a typed full path is.
   */
  chooseFile?: (choice: ClientFileChoice) => Promise<string | null>;
}

/** Paths the dialog returned that a transfer may still use: a few, the newest. */
const MAX_PICKED = 32;

const fail = <T>(message: string): Result<T> => ({ ok: false, message });

/** A device's text for a person: control and direction characters visible, length capped. */
const deviceText = (text: string): string => displayText(text, 512);

const WORDING: Record<TftpClientErrorCode, string> = {
  NO_ANSWER:
    'The device did not answer. Is it on this network with its TFTP server running? A device booting into recovery answers only after a while: set "Wait" to keep asking.',
  REFUSED: 'The device refused the request.',
  SERVER_ERROR: 'The device stopped the transfer.',
  TIMEOUT: 'The device went silent during the transfer. Try again; a block size of 512 helps on lossy links.',
  PROTOCOL:
    'The device broke the TFTP protocol. Some devices mishandle options: try block size 512, window 1.',
  LOCAL_NOT_FOUND: 'The file in the served folder was not found.',
  LOCAL_PERMISSION: 'The file in the served folder cannot be read or written (permission denied).',
  LOCAL_FILE: 'The file in the served folder cannot be used.',
  NETWORK: 'The device address cannot be resolved or reached.',
  INVALID_ARGUMENT: 'A transfer setting is out of range.',
  ABORTED: 'Cancelled.',
};

/** The engine's error as a sentence for a person: what happened, then the engine's and the device's detail. */
export function describeClientError(err: TftpClientError): string {
  // the device's own words say more than the engine's sentence, which only names the case
  let text = err.server ? WORDING[err.code] : `${WORDING[err.code]} (${deviceText(err.message)})`;
  if (err.server) {
    const name = TFTP_ERROR_NAMES[err.server.code as TftpErrorCode] ?? 'unknown code';
    const said = err.server.message.length > 0 ? `: "${deviceText(err.server.message)}"` : '';
    text += ` The device said ERROR ${err.server.code} (${name})${said}.`;
  }
  return text;
}

/** Where a get may write: a name in the served folder whose folder exists inside it; never outside. */
async function saveTarget(root: string, name: string): Promise<Result<string>> {
  if (name.length === 0) return fail('Name the file to save in the served folder.');
  if (name.endsWith('/') || name.endsWith('\\')) return fail('Name a file, not a folder.');
  if (name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name) || name.includes('\0'))
    return fail('The file name must be relative to the served folder.');
  const parts = name.split(/[\\/]/);
  const file = parts.pop() ?? '';
  if (file === '.' || file === '..' || file.length === 0) return fail('Name a file, not a folder.');
  let folder: string;
  if (parts.length === 0) {
    try {
      folder = await realpath(root);
    } catch {
      return fail('The served folder cannot be read.');
    }
  } else {
    if (parts.includes('..')) return fail('The file name must stay inside the served folder.');
    const dir = await resolveInRoot(root, parts.join('/'));
    if (!dir.ok) return fail(`The folder ${parts.join('/')} was not found in the served folder.`);
    folder = dir.value;
  }
  const target = join(folder, file);
  try {
    const st = await lstat(target);
    // the engine renames over the target: a link would be replaced, but say it plainly instead
    if (st.isSymbolicLink()) return fail(`${name} is a link; choose another name.`);
    if (st.isDirectory()) return fail(`${name} is a folder; choose another name.`);
  } catch {
    // a new file
  }
  const rootReal = await realpath(root).catch(() => root);
  if (!isInside(rootReal, target) || basename(target) !== file || !isInside(rootReal, dirname(target)))
    return fail('The file name must stay inside the served folder.');
  return { ok: true, value: target };
}

export function createClientHost(deps: ClientHostDeps): ClientHost {
  let current: ClientTransferState = { state: 'idle' };
  let controller: AbortController | null = null;
  let running: Promise<void> | null = null;
  let nextId = 1;
  let disposed = false;
  const picked: string[] = [];

  async function chooseFile(choice: ClientFileChoice): Promise<string | null> {
    if (deps.chooseFile === undefined) return null;
    const path = await deps.chooseFile(choice);
    if (path === null) return null;
    picked.unshift(path);
    picked.splice(MAX_PICKED);
    return path;
  }

  /** The local file: a name in the served folder, or a full path anywhere (checked as above). */
  async function localFile(request: ClientTransferRequest): Promise<Result<string>> {
    const path = request.localPath;
    if (path === undefined) {
      const root = deps.root();
      if (!root) return fail('Choose a folder to serve first.');
      return request.direction === 'put'
        ? resolveInRoot(root, request.localName)
        : saveTarget(root, request.localName);
    }
    if (deps.chooseFile !== undefined && !picked.includes(path))
      return fail(
        'Choose the file with "Choose…": the desktop app takes files outside the served folder from its file dialog only.',
      );
    return request.direction === 'put' ? readableFile(path) : writableTarget(path);
  }

  function set(state: ClientTransferState): ClientTransferState {
    current = state;
    deps.emit(state);
    return state;
  }

  async function start(request: ClientTransferRequest): Promise<Result<ClientTransferState>> {
    if (disposed) return fail('The app is closing.');
    if (controller !== null) return fail('A transfer is already running; cancel it or wait for it to end.');
    const address = parseDeviceAddress(request.device);
    if (typeof address === 'string') return fail(address);
    if (request.remoteName.length === 0) return fail('Enter the file name on the device.');
    const local = await localFile(request);
    if (!local.ok) return local;
    if (controller !== null) return fail('A transfer is already running; cancel it or wait for it to end.');

    const id = nextId++;
    const ac = new AbortController();
    controller = ac;
    deps.recentDevices.set(pushRecentDevice(deps.recentDevices.get(), request.device.trim()));
    const startedAt = deps.now();
    const run = request.direction === 'put' ? tftpPut : tftpGet;
    const size =
      request.direction === 'put'
        ? await stat(local.value).then(
            (s) => s.size,
            () => undefined,
          )
        : undefined;
    const events = clientSessionEvents({
      id: `client-${startedAt.toString(36)}-${id}`,
      request,
      host: address.host,
      port: address.port,
      localPath: local.value,
      time: startedAt,
      ...(size !== undefined ? { size } : {}),
    });
    deps.session(events.started());
    const started = set({ state: 'running', id, request, bytes: 0, elapsedMs: 0 });
    running = run({
      host: address.host,
      port: address.port,
      remoteName: request.remoteName,
      localPath: local.value,
      ...(request.blksize !== undefined ? { blksize: request.blksize } : {}),
      ...(request.windowsize !== undefined ? { windowsize: request.windowsize } : {}),
      ...(request.mode !== undefined ? { mode: request.mode } : {}),
      ...(request.timeoutSeconds !== undefined ? { timeoutSeconds: request.timeoutSeconds } : {}),
      ...(request.waitSeconds !== undefined ? { waitSeconds: request.waitSeconds } : {}),
      signal: ac.signal,
      onProgress: (p) => {
        if (controller !== ac) return;
        deps.session(events.progress(p.bytes, p.total, deps.now(), p.retransmits));
        set({
          state: 'running',
          id,
          request,
          bytes: p.bytes,
          ...(p.total !== undefined ? { total: p.total } : {}),
          elapsedMs: deps.now() - startedAt,
        });
      },
    }).then(
      (result) => {
        controller = null;
        deps.session(events.finished(result, deps.now()));
        set({ state: 'done', id, request, result });
      },
      (err: unknown) => {
        controller = null;
        const failed: Extract<ClientTransferState, { state: 'failed' }> = isTftpClientError(err)
          ? { state: 'failed', id, request, code: err.code, message: describeClientError(err) }
          : {
              state: 'failed',
              id,
              request,
              code: 'INTERNAL',
              message: `The transfer failed unexpectedly: ${deviceText(err instanceof Error ? err.message : String(err))}`,
            };
        const deviceCode = isTftpClientError(err) ? err.server?.code : undefined;
        deps.session(events.failed(failed.code, failed.message, deviceCode, deps.now()));
        set(failed);
      },
    );
    return { ok: true, value: started };
  }

  return {
    calls: {
      async getClientState() {
        return { transfer: current, recentDevices: [...deps.recentDevices.get()] };
      },
      startClientTransfer: start,
      chooseClientFile: chooseFile,
      async cancelClientTransfer() {
        controller?.abort();
        await running;
        return current;
      },
    },
    async dispose() {
      disposed = true;
      controller?.abort();
      await running;
    },
  };
}
