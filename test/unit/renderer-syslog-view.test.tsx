// @vitest-environment jsdom
// The Syslog tab rendered in jsdom against a bridge object: pushed batches fill a bounded list,
// device text stays inert and visible, unparsed datagrams are marked, drops are told, and a
// refused port offers the way out in one click.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventChannel, EventChannels, TftpBridge } from '../../shared/ipc-contract';
import type { SyslogSnapshot } from '../../shared/syslog-contract';
import {
  SYSLOG_DEFAULTS,
  type SyslogMessage,
  type SyslogSettings,
  type SyslogState,
} from '../../shared/syslog';
import { syslogPortFix } from '../../renderer/components/SyslogControls';
import { SyslogView } from '../../renderer/components/SyslogView';
import { connectSyslog, loadSyslogSnapshot } from '../../renderer/syslog-actions';
import { initialSyslogSlice, useSyslogStore } from '../../renderer/store/syslog-store';
import { useDhcpStore } from '../../renderer/store/dhcp-store';
import { emptyLog, useLogStore } from '../../renderer/store/log-store';
import { giveElementsASize } from './jsdom-layout';

beforeAll(() => giveElementsASize());
afterEach(() => {
  cleanup();
  useSyslogStore.setState(initialSyslogSlice, true);
  useDhcpStore.setState({ leases: [] });
  useLogStore.setState(emptyLog, true);
});

let nextId = 1;
const message = (over: Partial<SyslogMessage> = {}): SyslogMessage => ({
  id: nextId++,
  receivedAt: 1_700_000_000_000,
  peer: { address: '192.0.2.7', port: 514 },
  format: 'rfc3164',
  facility: 16,
  severity: 6,
  appName: 'app',
  message: 'hello',
  raw: '<134>hello',
  ...over,
});

type Listeners = { [K in EventChannel]?: ((payload: EventChannels[K]) => void)[] };

function syslogBridge(state: SyslogState, settings: Partial<SyslogSettings> = {}) {
  const listeners: Listeners = {};
  const calls: unknown[][] = [];
  let current = { ...SYSLOG_DEFAULTS, ...settings };
  const snapshot = (): SyslogSnapshot => ({
    state,
    settings: current,
    messages: [],
    dropped: { rateLimited: 0, notAllowed: 0 },
    lastDrop: null,
  });
  const bridge = {
    getSyslogSnapshot: async () => snapshot(),
    setSyslogSettings: async (patch: Partial<SyslogSettings>) => {
      calls.push(['setSyslogSettings', patch]);
      current = { ...current, ...patch };
      return { ok: true as const, settings: current, state };
    },
    startSyslog: async () => {
      calls.push(['startSyslog']);
      return {
        state: 'listening' as const,
        addresses: [{ address: '0.0.0.0', port: current.port, family: 'IPv4' as const }],
      };
    },
    stopSyslog: async () => ({ state: 'stopped' as const }),
    clearSyslog: async () => null,
    on<K extends EventChannel>(channel: K, listener: (payload: EventChannels[K]) => void) {
      ((listeners[channel] ??= []) as ((payload: EventChannels[K]) => void)[]).push(listener);
      return () => undefined;
    },
  } as Partial<TftpBridge> as TftpBridge;
  const push = <K extends EventChannel>(channel: K, payload: EventChannels[K]) =>
    act(() => {
      for (const l of (listeners[channel] ?? []) as ((p: EventChannels[K]) => void)[]) l(payload);
    });
  return { bridge, calls, push };
}

async function connect(b: TftpBridge): Promise<void> {
  connectSyslog(b);
  await loadSyslogSnapshot();
}

describe('SyslogView', () => {
  it('lists pushed messages within the cap, inert and marked, and tells what was dropped', async () => {
    const { bridge, push } = syslogBridge({ state: 'stopped' }, { maxMessages: 100 });
    await connect(bridge);
    render(<SyslogView />);
    push('syslog-messages', [
      message({ hostname: 'sw1\u001b[31m', message: '<img src=x onerror="window.pwned=1">' }),
      message({ format: 'raw', severity: undefined, facility: undefined, message: 'no pri', raw: 'no pri' }),
    ]);
    expect(await screen.findByText('sw1\\x1b[31m')).toBeTruthy();
    expect(screen.getByText('<img src=x onerror="window.pwned=1">')).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
    expect(screen.getByText('unparsed')).toBeTruthy();

    push(
      'syslog-messages',
      Array.from({ length: 250 }, (_, i) => message({ message: `m${i}` })),
    );
    expect(screen.getByTestId('syslog-count').textContent).toBe('100 of 100 messages');
    expect(useSyslogStore.getState().messages.at(0)?.message).toBe('m150');

    push('syslog-dropped', {
      type: 'syslog-dropped',
      service: 'syslog',
      time: 2,
      since: 1,
      dropped: { rateLimited: 40, notAllowed: 2 },
      senders: [{ address: '192.0.2.66', rateLimited: 40, notAllowed: 0 }],
      otherSenders: 0,
      total: { rateLimited: 40, notAllowed: 2 },
    });
    expect(screen.getByTestId('syslog-dropped').textContent).toMatch(
      /42 messages dropped: 40 over the per-device rate limit, 2 from devices not on the allow-list.*192\.0\.2\.66/,
    );
  });

  it("shows a device's lease beside its messages in its timeline", async () => {
    const { bridge, push } = syslogBridge({ state: 'stopped' });
    await connect(bridge);
    const mac = '52:54:00:12:34:56';
    useDhcpStore.setState({
      leases: [{ mac, address: '192.0.2.7', state: 'bound', expiresAt: 1_700_003_600_000, reserved: false }],
    });
    useLogStore.setState({
      lines: [
        {
          type: 'log',
          time: 1_699_999_999_000,
          level: 'info',
          message: 'DHCP REQUEST: acked 192.0.2.7.',
          peer: mac,
        },
      ],
      dropped: 0,
    });
    render(<SyslogView />);
    push('syslog-messages', [message({ message: 'booting' })]);
    fireEvent.change(await screen.findByLabelText('Syslog device'), { target: { value: '192.0.2.7' } });
    fireEvent.click(screen.getByRole('button', { name: /Timeline/ }));
    expect(await screen.findByText('DHCP REQUEST: acked 192.0.2.7.')).toBeTruthy();
    const rows = [...document.querySelectorAll('[data-syslog-row]')].map((r) => r.className);
    expect(rows).toEqual(['syslog-line lease', 'syslog-line', 'syslog-line lease']);
  });

  it('offers port 1514 when 514 is refused, and starts there in one click', async () => {
    const refused: SyslogState = {
      state: 'error',
      code: 'EACCES',
      message: 'Permission denied for UDP port 514 on 0.0.0.0:514.',
      hint: 'Ports below 1024 need privileges on Linux.',
    };
    const { bridge, calls } = syslogBridge(refused);
    await connect(bridge);
    render(<SyslogView />);
    expect(screen.getByTestId('syslog-state').textContent).toContain('Permission denied for UDP port 514');
    expect(screen.getByText(/Ports below 1024 need privileges/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Use port 1514' }));
    await waitFor(() =>
      expect(screen.getByTestId('syslog-state').textContent).toBe('Receiving on 0.0.0.0:1514'),
    );
    expect(calls).toEqual([['setSyslogSettings', { port: 1514 }], ['startSyslog']]);
    expect(useSyslogStore.getState().settings).toMatchObject({ port: 1514, enabled: true });
    // 1514 taken too: the next one the hint names; an error another port cannot fix: nothing
    expect(syslogPortFix({ ...refused, code: 'EADDRINUSE' }, 1514)).toBe(5514);
    expect(syslogPortFix({ ...refused, code: 'EADDRNOTAVAIL' }, 514)).toBeNull();
    expect(syslogPortFix({ state: 'stopped' }, 514)).toBeNull();
  });

  it('checks the allow-list as typed before saving it', async () => {
    const { bridge, calls } = syslogBridge({ state: 'stopped' });
    await connect(bridge);
    render(<SyslogView />);
    const field = screen.getByLabelText('Allowed senders');
    fireEvent.change(field, { target: { value: '10.0.0.0/8, nonsense' } });
    fireEvent.blur(field);
    expect((await screen.findByRole('alert')).textContent).toContain('"nonsense" is not an address');
    expect(calls).toEqual([]);
    fireEvent.change(field, { target: { value: '10.0.0.0/8, 192.0.2.1' } });
    fireEvent.blur(field);
    await waitFor(() =>
      expect(calls).toEqual([['setSyslogSettings', { allowList: ['10.0.0.0/8', '192.0.2.1'] }]]),
    );
  });
});
