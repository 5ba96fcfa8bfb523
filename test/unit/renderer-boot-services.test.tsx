// @vitest-environment jsdom
// The Boot services tab in jsdom against a bridge object: a lease table with text a device chose
// stays inert, a refusal beside another DHCP server offers proxy mode, Start saves the form first
// and sends the settings the form shows, and pushed state and leases reach the view.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DHCP_DEFAULTS,
  type DhcpLeaseView,
  type DhcpServiceState,
  type DhcpSettings,
} from '../../shared/dhcp';
import type { DhcpView } from '../../shared/dhcp-view';
import type { EventChannels, TftpBridge } from '../../shared/ipc-contract';
import { connectDhcp, loadDhcp } from '../../renderer/dhcp-actions';
import { BootServicesView } from '../../renderer/components/BootServicesView';
import { useDhcpStore } from '../../renderer/store/dhcp-store';
import { useInterfacesStore } from '../../renderer/store/interfaces-store';

afterEach(() => {
  cleanup();
  useDhcpStore.setState({
    settings: null,
    edits: {},
    serverErrors: [],
    notice: null,
    leases: [],
    busy: false,
  });
});

const HOSTILE = '<img src=x onerror="window.pwned=1">\u001b[31m\u202e';

const PROXY: DhcpSettings = {
  ...DHCP_DEFAULTS,
  mode: 'proxy',
  interfaceAddress: '192.168.7.1',
  prefixLength: 24,
  bootFileUefi: 'efi/ipxe.efi',
};

/** A bridge that answers the DHCP calls and lets the test push events. */
function dhcpBridge(view: DhcpView) {
  const listeners = new Map<string, (payload: unknown) => void>();
  const calls: { method: string; args: unknown[] }[] = [];
  let startResult: DhcpServiceState = { status: 'running', mode: view.settings.mode, message: 'Serving.' };
  const bridge = {
    getDhcp: async () => view,
    setDhcpSettings: async (s: DhcpSettings) => {
      calls.push({ method: 'setDhcpSettings', args: [s] });
      return { ok: true as const, settings: s };
    },
    startDhcp: async () => {
      calls.push({ method: 'startDhcp', args: [] });
      return startResult;
    },
    stopDhcp: async () => ({ status: 'stopped' as const, mode: view.settings.mode }),
    on: <K extends keyof EventChannels>(channel: K, listener: (payload: EventChannels[K]) => void) => {
      listeners.set(channel, listener as (payload: unknown) => void);
      return () => listeners.delete(channel);
    },
  } as Partial<TftpBridge> as TftpBridge;
  return {
    bridge,
    calls,
    push: <K extends keyof EventChannels>(channel: K, payload: EventChannels[K]) =>
      act(() => listeners.get(channel)?.(payload)),
    refuseWith: (s: DhcpServiceState) => (startResult = s),
  };
}

async function show(view: DhcpView) {
  const fake = dhcpBridge(view);
  connectDhcp(fake.bridge);
  await loadDhcp();
  useInterfacesStore.setState({
    interfaces: [
      {
        name: 'eth0',
        internal: false,
        up: true,
        isDefault: true,
        addresses: [{ address: '192.168.7.1', family: 'IPv4', prefix: 24 }],
      },
    ],
  });
  render(<BootServicesView />);
  return fake;
}

describe('the Boot services tab', () => {
  it('shows pushed leases, with text a device chose as inert visible text', async () => {
    const fake = await show({ settings: PROXY, state: { status: 'stopped', mode: 'proxy' }, leases: [] });
    expect(screen.getByText('No client has asked yet.')).toBeTruthy();
    const lease: DhcpLeaseView = {
      mac: '52:54:00:12:34:56',
      address: '192.168.7.100',
      state: 'bound',
      expiresAt: Date.now() + 600_000,
      vendorClass: HOSTILE,
      arch: 7,
      bootFile: 'efi/ipxe.efi',
      reserved: false,
    };
    fake.push('dhcp-leases', [lease]);
    const table = await screen.findByTestId('dhcp-leases');
    const row = within(table).getByText('52:54:00:12:34:56').closest('tr') as HTMLElement;
    expect(within(row).getByText('UEFI x64')).toBeTruthy();
    expect(within(row).getByText('192.168.7.100')).toBeTruthy();
    expect(within(row).getByText(/^(9|10) min$/)).toBeTruthy();
    expect(row.querySelector('img')).toBeNull();
    expect(row.textContent).toContain('<img src=x');
    expect(row.textContent).not.toContain('\u001b');
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();

    fake.push('dhcp-state', { status: 'running', mode: 'proxy', message: 'Proxy DHCP on eth0.' });
    expect(screen.getByTestId('dhcp-status').textContent).toBe('Running');
    expect(screen.getByText('Proxy DHCP on eth0.')).toBeTruthy();
  });

  it('saves what the form shows before it starts', async () => {
    const fake = await show({ settings: PROXY, state: { status: 'stopped', mode: 'proxy' }, leases: [] });
    fireEvent.change(screen.getByLabelText('iPXE script'), { target: { value: 'boot.ipxe' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start boot services' }));
    await waitFor(() => expect(screen.getByTestId('dhcp-status').textContent).toBe('Running'));
    expect(fake.calls.map((c) => c.method)).toEqual(['setDhcpSettings', 'startDhcp']);
    expect(fake.calls[0]?.args[0]).toEqual({ ...PROXY, bootFileIpxe: 'boot.ipxe' });
  });

  it('says why beside another DHCP server, and switches to proxy mode in one click', async () => {
    const provision: DhcpSettings = {
      ...PROXY,
      mode: 'provision',
      rangeStart: '192.168.7.100',
      rangeEnd: '192.168.7.199',
    };
    const fake = await show({
      settings: provision,
      state: { status: 'stopped', mode: 'provision' },
      leases: [],
    });
    fake.refuseWith({
      status: 'error',
      mode: 'provision',
      message: 'Another DHCP server answers on this network: 192.168.7.2 (offered 192.168.7.50).',
      hint: 'Use proxy mode to hand out boot files beside that server.',
      rival: { address: '192.168.7.2', offered: '192.168.7.50' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Start boot services' }));
    await screen.findByText(/Another DHCP server answers on this network: 192\.168\.7\.2/);
    expect(screen.getByTestId('dhcp-status').textContent).toBe('Not running');
    fireEvent.click(screen.getByRole('button', { name: 'Switch to proxy mode' }));
    expect((screen.getByLabelText('Mode') as HTMLSelectElement).value).toBe('proxy');
  });
});
