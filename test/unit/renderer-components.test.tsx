// @vitest-environment jsdom
// Key views rendered in jsdom against a bridge object: hostile names stay inert text, the log
// stays virtualised at 100,000 lines, and settings show both client and server verdicts.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, LogEvent, SessionStartedEvent } from '../../shared/events';
import type { ClientTransferRequest, ClientTransferState } from '../../shared/client-contract';
import type { TftpBridge, UpdateSettingsResult } from '../../shared/ipc-contract';
import type { AppSettings } from '../../shared/settings';
import { connectStores } from '../../renderer/actions';
import { LogPane } from '../../renderer/components/LogPane';
import { SendView } from '../../renderer/components/SendView';
import { SettingsView } from '../../renderer/components/SettingsView';
import { TransfersView } from '../../renderer/components/TransfersView';
import { applyBatch } from '../../renderer/store/sync';
import { logFromSnapshot, useLogStore } from '../../renderer/store/log-store';
import { useServerStore } from '../../renderer/store/server-store';
import { useClientStore } from '../../renderer/store/client-store';
import { INITIAL_SEND_DRAFT } from '../../renderer/lib/send-form';
import { fakeBridge } from './fake-bridge';
import { giveElementsASize } from './jsdom-layout';

beforeAll(() => giveElementsASize());
afterEach(() => {
  cleanup();
  // the Send to device form outlives its tab on purpose; each test starts with a fresh one
  useClientStore.setState({ draft: INITIAL_SEND_DRAFT });
});

/** Connects the stores and waits until the first snapshot landed (it would overwrite later state). */
async function connect(bridge: TftpBridge): Promise<void> {
  useServerStore.setState({ ready: false });
  connectStores(bridge);
  await waitFor(() => expect(useServerStore.getState().ready).toBe(true));
}

const HOSTILE = '<img src=x onerror="window.pwned=1">\u001b[31m\n../../etc/passwd\u202e';

describe('TransfersView', () => {
  it('renders a hostile file name as inert, visible text in live rows and history', async () => {
    await connect(fakeBridge());
    const start: SessionStartedEvent = {
      type: 'session-started',
      time: 1,
      id: 's1',
      peer: '10.0.0.7:40000',
      file: HOSTILE,
      direction: 'download',
      mode: 'octet',
      options: { blksize: 512, windowsize: 4, timeout: 3 },
      size: 2048,
    };
    render(<TransfersView />);
    act(() =>
      applyBatch([
        start,
        { type: 'session-progress', time: 2, id: 's1', bytes: 1024, rate: 2048, retransmits: 3 },
      ]),
    );
    const row = document.querySelector('[data-session="s1"]') as HTMLElement;
    expect(row).not.toBeNull();
    expect(row.querySelector('img')).toBeNull();
    expect(row.textContent).toContain(
      '<img src=x onerror="window.pwned=1">\\x1b[31m\\n../../etc/passwd\\u202e',
    );
    expect(within(row).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');
    expect(row.textContent).toContain('512 / 4');

    const fail: EngineEvent = {
      type: 'session-failed',
      time: 3,
      id: 's1',
      code: 2,
      message: 'Access violation',
      by: 'server',
      bytes: 1024,
      durationMs: 5,
    };
    act(() => applyBatch([fail]));
    expect(document.querySelector('[data-session="s1"]')).toBeNull();
    const history = document.querySelector('[data-history="s1"]') as HTMLElement;
    expect(history.textContent).toContain('Failed');
    expect(history.textContent).toContain('Access violation (error 2, refused by the server)');
    expect(history.querySelector('img')).toBeNull();
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('marks a transfer we started ("Send to device") in the live rows and the history', async () => {
    await connect(fakeBridge());
    render(<TransfersView />);
    const ours: SessionStartedEvent = {
      type: 'session-started',
      time: 1,
      id: 'client-1',
      peer: '192.0.2.7:69',
      file: 'flash.bin',
      direction: 'download',
      mode: 'octet',
      options: { blksize: 1428, windowsize: 1, timeout: 1 },
      role: 'client',
      localPath: '/home/me/fw.bin',
      size: 4096,
    };
    act(() => applyBatch([ours, { ...ours, id: 'srv-1', role: undefined, file: 'boot.bin' }]));
    const row = document.querySelector('[data-session="client-1"]') as HTMLElement;
    expect(row.dataset.role).toBe('client');
    expect(row.textContent).toContain('to device');
    expect(row.textContent).toContain('Sent to device');
    expect(row.textContent).toContain('Contacting');
    const server = document.querySelector('[data-session="srv-1"]') as HTMLElement;
    expect(server.textContent).not.toContain('to device');
    expect(server.textContent).toContain('Download (served)');

    const sha = 'c0ffee'.repeat(10) + 'abcd';
    act(() =>
      applyBatch([
        {
          type: 'session-finished',
          time: 5,
          id: 'client-1',
          stats: { bytes: 4096, durationMs: 4, averageRate: 1_024_000, retransmits: 0, sha256: sha },
        },
      ]),
    );
    const history = document.querySelector('[data-history="client-1"]') as HTMLElement;
    expect(history.dataset.role).toBe('client');
    expect(history.textContent).toContain('to device');
    expect(history.textContent).toContain('Done');
    expect(history.textContent).toContain(sha.slice(0, 16));
  });
});

describe('LogPane', () => {
  it('keeps 100,000 lines virtualised and filters them', async () => {
    await connect(fakeBridge());
    const lines: LogEvent[] = Array.from({ length: 100_000 }, (_, i) => ({
      type: 'log',
      time: 1_700_000_000_000 + i,
      level: i % 1000 === 0 ? 'error' : 'info',
      message: `line ${i}`,
    }));
    act(() => useLogStore.setState(logFromSnapshot(lines)));
    render(<LogPane />);
    expect(screen.getByTestId('log-count').textContent).toBe('100,000 of 100,000 lines');
    const rendered = document.querySelectorAll('.log-line').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(200);

    fireEvent.change(screen.getByLabelText('Level'), { target: { value: 'error' } });
    await waitFor(() => expect(screen.getByTestId('log-count').textContent).toBe('100 of 100,000 lines'));
    fireEvent.change(screen.getByLabelText('Search the log'), { target: { value: 'line 99000' } });
    await waitFor(() => expect(screen.getByTestId('log-count').textContent).toBe('1 of 100,000 lines'));
    expect(document.querySelector('.log-line')?.textContent).toContain('line 99000');
  });
});

describe('SettingsView', () => {
  it('checks values as typed, sends only the changes, and shows the server’s errors', async () => {
    const calls: Partial<AppSettings>[] = [];
    const reply: UpdateSettingsResult = {
      ok: false,
      errors: { port: 'Port 6970 is taken by another program.' },
    };
    await connect(fakeBridge({ updateSettings: async (patch) => (calls.push(patch), reply) }));
    render(<SettingsView />);
    const port = await screen.findByLabelText('UDP port');
    fireEvent.change(port, { target: { value: '99999' } });
    expect(await screen.findByText('Port must be a whole number from 1 to 65535.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save settings' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(port, { target: { value: '6970' } });
    fireEvent.click(screen.getByLabelText('Match file names case-insensitively'));
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Port 6970 is taken by another program.')).toBeTruthy();
    expect(calls).toEqual([{ port: 6970, caseInsensitive: true }]);
    expect(port.getAttribute('aria-invalid')).toBe('true');
  });
});

describe('SendView', () => {
  it('in the browser UI takes a typed full path, and says it is on the server machine', async () => {
    const requests: ClientTransferRequest[] = [];
    await connect(
      fakeBridge({
        startClientTransfer: async (request) => (requests.push(request), { ok: false, message: 'not found' }),
      }),
    );
    render(<SendView />);
    fireEvent.change(screen.getByLabelText('Device address'), { target: { value: '10.0.0.5' } });
    fireEvent.change(screen.getByLabelText('Send a file from'), { target: { value: 'elsewhere' } });
    const path = screen.getByLabelText('Full path of the file to send');
    expect(screen.getByText(/reads this file on the machine running the server/)).toBeTruthy();
    fireEvent.change(path, { target: { value: '/home/me/fw.bin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]).toMatchObject({ localName: '', localPath: '/home/me/fw.bin', remoteName: 'fw.bin' });
    expect(await screen.findByText('not found')).toBeTruthy();
  });

  it('in the desktop app picks the file with its dialog, a get starting from the device name', async () => {
    const choices: unknown[] = [];
    const requests: ClientTransferRequest[] = [];
    const bridge = fakeBridge({
      chooseClientFile: async (choice) => (choices.push(choice), '/home/me/saved.cfg'),
      startClientTransfer: async (request) => (requests.push(request), { ok: false, message: 'no' }),
    });
    const snap = await bridge.getSnapshot();
    await connect({
      ...bridge,
      getSnapshot: async () => ({ ...snap, capabilities: { nativeDialogs: true, platform: 'linux' } }),
    });
    render(<SendView />);
    fireEvent.change(screen.getByLabelText('Device address'), { target: { value: '10.0.0.5' } });
    fireEvent.change(screen.getByLabelText('Direction'), { target: { value: 'get' } });
    fireEvent.change(screen.getByLabelText('File name on the device'), { target: { value: 'cfg/startup' } });
    fireEvent.change(screen.getByLabelText('Save the file'), { target: { value: 'elsewhere' } });
    expect((screen.getByLabelText('Save as') as HTMLInputElement).readOnly).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Choose…' }));
    await waitFor(() =>
      expect((screen.getByLabelText('Save as') as HTMLInputElement).value).toBe('/home/me/saved.cfg'),
    );
    expect(choices).toEqual([{ direction: 'get', suggestedName: 'startup' }]);
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]).toMatchObject({
      direction: 'get',
      localPath: '/home/me/saved.cfg',
      remoteName: 'cfg/startup',
    });
  });

  it('keeps what was typed when the tab is left and opened again', async () => {
    await connect(fakeBridge());
    const first = render(<SendView />);
    fireEvent.change(screen.getByLabelText('Device address'), { target: { value: '10.0.0.9' } });
    first.unmount();
    render(<SendView />);
    expect((screen.getByLabelText('Device address') as HTMLInputElement).value).toBe('10.0.0.9');
  });

  it('sends the form as a request, then shows progress, an inert device error and the SHA-256', async () => {
    const requests: ClientTransferRequest[] = [];
    let push: ((state: ClientTransferState) => void) | undefined;
    await connect(
      fakeBridge({
        listFiles: async () => ({ ok: true, value: [{ name: 'fw/recovery.bin', size: 4096, modified: 1 }] }),
        startClientTransfer: async (request) => {
          requests.push(request);
          return { ok: true, value: { state: 'running', id: 1, request, bytes: 0, elapsedMs: 0 } };
        },
        on: ((channel: string, listener: (state: ClientTransferState) => void) => {
          if (channel === 'client-transfer') push = listener;
          return () => undefined;
        }) as TftpBridge['on'],
      }),
    );
    render(<SendView />);
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(await screen.findByText('Enter the device address.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Device address'), { target: { value: ' 10.0.0.5:6969 ' } });
    const file = screen.getByLabelText('File from the served folder');
    await waitFor(() => expect(within(file).getByText(/fw\/recovery\.bin/)).toBeTruthy());
    fireEvent.change(file, { target: { value: 'fw/recovery.bin' } });
    fireEvent.change(screen.getByLabelText('Window size'), { target: { value: '8' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]).toEqual({
      direction: 'put',
      device: '10.0.0.5:6969',
      localName: 'fw/recovery.bin',
      remoteName: 'recovery.bin',
      mode: 'octet',
      blksize: 1468,
      windowsize: 8,
      timeoutSeconds: 3,
      waitSeconds: 0,
    });
    const request = requests[0]!;

    act(() => push?.({ state: 'running', id: 1, request, bytes: 1024, total: 4096, elapsedMs: 500 }));
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25');
    expect(screen.getByTestId('send-progress').textContent).toContain('2.00 KiB/s');
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();

    act(() => push?.({ state: 'failed', id: 1, request, code: 'REFUSED', message: HOSTILE }));
    const error = screen.getByTestId('send-error');
    expect(error.querySelector('img')).toBeNull();
    expect(error.textContent).toContain(
      '<img src=x onerror="window.pwned=1">\\x1b[31m\\n../../etc/passwd\\u202e',
    );

    const sha256 = 'ab'.repeat(32);
    act(() =>
      push?.({
        state: 'done',
        id: 1,
        request,
        result: {
          direction: 'put',
          host: '10.0.0.5',
          port: 6969,
          remoteName: 'recovery.bin',
          localPath: '/srv/tftp/fw/recovery.bin',
          mode: 'octet',
          bytes: 4096,
          durationMs: 2000,
          sha256,
          options: { blksize: 1468, windowsize: 8, timeout: 3, acknowledged: true },
          retransmits: 0,
        },
      }),
    );
    expect(screen.getByTestId('send-sha256').textContent).toBe(sha256);
    expect(screen.getByTestId('send-result').textContent).toContain('Sent recovery.bin: 4.00 KiB in 2.0 s');
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });
});
