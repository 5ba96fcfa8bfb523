// @vitest-environment jsdom
// The pre-flight panel in jsdom: a recipe fills the form, Check sends exactly the request the form
// says, and the report shows each verdict with its fix; text from the main process stays inert.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import type { PreflightReport, PreflightRequest } from '../../shared/preflight';
import type { RendererBridge } from '../../renderer/bridge';
import { PreflightPanel } from '../../renderer/components/PreflightPanel';
import { connectPreflight } from '../../renderer/preflight-actions';
import { useInterfacesStore } from '../../renderer/store/interfaces-store';
import { initialPreflight, usePreflightStore } from '../../renderer/store/preflight-store';

afterEach(() => {
  cleanup();
  usePreflightStore.setState(initialPreflight);
});

const REPORT: PreflightReport = {
  platform: 'linux',
  port: 69,
  serverAddress: '192.168.0.66',
  ranAt: 0,
  checks: [
    {
      id: 'address',
      title: 'Address the device expects',
      status: 'problem',
      summary: 'No interface of this machine has 192.168.0.66 <img src=x onerror="window.pwned=1">',
      fix: { text: 'Add it.', command: 'sudo ip addr add 192.168.0.66/24 dev eth1' },
    },
    {
      id: 'firewall',
      title: 'Firewall on this machine',
      status: 'unknown',
      summary: 'Not checked: nftables.',
    },
    {
      id: 'allow-list',
      title: 'Allow-list and limits',
      status: 'ok',
      summary: 'Every address may ask, 192.168.0.86 included.',
      notes: ['Device profile: rule 1: 192.168.0.86 → Old U-Boot applies to 192.168.0.86.'],
    },
  ],
};

it('sends the recipe and interface as the request and shows each result with its fix', async () => {
  const asked: PreflightRequest[] = [];
  connectPreflight({
    runPreflight: async (request: PreflightRequest) => {
      asked.push(request);
      return REPORT;
    },
  } as unknown as RendererBridge);
  useInterfacesStore.setState({
    interfaces: [
      {
        name: 'eth1',
        addresses: [{ address: '10.0.0.2', family: 'IPv4', prefix: 24 }],
        internal: false,
        up: true,
        isDefault: false,
      },
    ],
  });
  render(<PreflightPanel />);
  expect(document.activeElement).toBe(screen.getByLabelText('Recovery recipe'));
  fireEvent.change(screen.getByLabelText('Recovery recipe'), { target: { value: 'tp-link' } });
  expect(screen.getByLabelText('Device address')).toHaveProperty('value', '192.168.0.86');
  fireEvent.change(screen.getByLabelText('Interface the device is cabled to'), { target: { value: 'eth1' } });
  fireEvent.click(screen.getByRole('button', { name: 'Check reachability' }));

  await waitFor(() =>
    expect(screen.getByTestId('preflight-verdict').textContent).toContain('1 problem found'),
  );
  expect(asked).toEqual([
    { serverAddress: '192.168.0.66', deviceAddress: '192.168.0.86', interface: 'eth1', prefix: 24 },
  ]);
  const address = screen.getByTestId('preflight-address');
  expect(within(address).getByText('Problem')).toBeTruthy();
  expect(address.querySelector('img')).toBeNull();
  expect(address.querySelector('code')?.textContent).toBe('sudo ip addr add 192.168.0.66/24 dev eth1');
  expect(screen.getByTestId('preflight-firewall').textContent).toContain('Could not check');
  // the profile line sits beside the verdict, which stays ok
  const allow = screen.getByTestId('preflight-allow-list');
  expect(within(allow).getByText('OK')).toBeTruthy();
  expect(within(allow).getByTestId('preflight-note').textContent).toBe(
    'Device profile: rule 1: 192.168.0.86 → Old U-Boot applies to 192.168.0.86.',
  );
});

it('a bad port is refused in the form, and a refusal from the server is shown as its message', async () => {
  connectPreflight({
    runPreflight: async () => {
      throw new Error('The server address must be an IPv4 or IPv6 address.');
    },
  } as unknown as RendererBridge);
  render(<PreflightPanel />);
  fireEvent.change(screen.getByLabelText('UDP port'), { target: { value: '99999' } });
  fireEvent.click(screen.getByRole('button', { name: 'Check reachability' }));
  await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('from 1 to 65535'));
  fireEvent.change(screen.getByLabelText('UDP port'), { target: { value: '' } });
  fireEvent.change(screen.getByLabelText('Server address the device expects'), { target: { value: 'nope' } });
  fireEvent.click(screen.getByRole('button', { name: 'Check reachability' }));
  await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('IPv4 or IPv6 address'));
});
