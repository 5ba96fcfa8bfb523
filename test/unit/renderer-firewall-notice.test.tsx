// @vitest-environment jsdom
// The Windows Firewall notice in jsdom: the advice and its exact command arrive on the 'firewall'
// channel, the button runs the elevated call once and is disabled while it runs, and each answer
// (declined, failed, added) is shown; the notice goes once the rule is in. Text stays inert.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import type { AddFirewallRuleResult, FirewallNotice as Notice } from '../../shared/firewall';
import type { RendererBridge } from '../../renderer/bridge';
import { FirewallNotice } from '../../renderer/components/FirewallNotice';
import { connectFirewall } from '../../renderer/firewall-actions';
import { initialFirewall, useFirewallStore } from '../../renderer/store/firewall-store';

afterEach(() => {
  cleanup();
  useFirewallStore.setState(initialFirewall);
});

const COMMAND =
  'netsh advfirewall firewall add rule name="TFTP Desk (UDP 69)" dir=in action=allow protocol=UDP localport=69 program="C:\\Users\\Zoë O’Brien\\TFTP Desk.exe" profile=public enable=yes';

const NOTICE: Notice = {
  port: 69,
  profile: 'public',
  adapter: 'Ethernet 2',
  message: 'The server is running, but Windows Firewall drops requests <img src=x onerror="window.pwned=1">',
  command: COMMAND,
  undo: 'netsh advfirewall firewall delete rule name="TFTP Desk (UDP 69)"',
};

/** A bridge whose 'firewall' pushes the test sends, and whose addFirewallRule the test answers. */
function bridge() {
  let push: (n: Notice | null) => void = () => undefined;
  const calls: ((r: AddFirewallRuleResult) => void)[] = [];
  const b = {
    on: (channel: string, listener: (n: Notice | null) => void) => {
      if (channel === 'firewall') push = listener;
      return () => undefined;
    },
    addFirewallRule: () => new Promise<AddFirewallRuleResult>((resolve) => calls.push(resolve)),
  } as unknown as RendererBridge;
  connectFirewall(b);
  return { push: (n: Notice | null) => act(() => push(n)), calls };
}

const addButton = () => screen.getByRole('button', { name: /Add firewall rule|Waiting/ });

it('shows the advice and command; the button is disabled while the prompt is up; declined, then added', async () => {
  const b = bridge();
  render(<FirewallNotice />);
  expect(screen.queryByTestId('firewall-notice')).toBeNull();
  b.push(NOTICE);
  const notice = screen.getByTestId('firewall-notice');
  expect(notice.textContent).toContain('UDP 69 on a Public network (Ethernet 2)');
  expect(notice.querySelector('img')).toBeNull();
  expect(notice.querySelector('code')?.textContent).toBe(COMMAND);
  expect(screen.getByRole('button', { name: 'Copy the firewall command' })).toBeTruthy();
  expect(addButton().textContent).toBe('Add firewall rule (asks for administrator)');

  fireEvent.click(addButton());
  await waitFor(() => expect(addButton()).toHaveProperty('disabled', true));
  expect(addButton().textContent).toContain('Waiting for the administrator prompt');
  fireEvent.click(addButton());
  expect(b.calls).toHaveLength(1);
  await act(async () =>
    b.calls[0]!({
      outcome: 'declined',
      message: 'No rule was added: the administrator prompt was declined.',
      command: COMMAND,
      notice: NOTICE,
    }),
  );
  expect(addButton()).toHaveProperty('disabled', false);
  expect(screen.getByRole('status').textContent).toContain('prompt was declined');

  fireEvent.click(addButton());
  await waitFor(() => expect(b.calls).toHaveLength(2));
  await act(async () =>
    b.calls[1]!({
      outcome: 'added',
      message: 'The rule was added. Checked again: Windows Firewall now lets devices reach the server.',
      command: COMMAND,
      notice: null,
    }),
  );
  expect(screen.queryByTestId('firewall-notice')).toBeNull();
  expect(screen.queryByRole('button', { name: /Add firewall rule/ })).toBeNull();
  expect(screen.getByTestId('firewall-result').textContent).toContain('The rule was added');
  fireEvent.click(screen.getByRole('button', { name: 'OK' }));
  expect(screen.queryByTestId('firewall-result')).toBeNull();
});

it('a failure is an alert; a notice without a command (a block rule) offers no button; Stop clears it', async () => {
  const b = bridge();
  render(<FirewallNotice />);
  b.push(NOTICE);
  fireEvent.click(addButton());
  await waitFor(() => expect(b.calls).toHaveLength(1));
  await act(async () =>
    b.calls[0]!({
      outcome: 'failed',
      message: 'netsh did not add the rule: The parameter is incorrect.',
      notice: NOTICE,
    }),
  );
  expect(screen.getByRole('alert').textContent).toContain('The parameter is incorrect');

  b.push({
    port: 69,
    profile: 'public',
    message: 'The rule "TFTP Desk" blocks TFTP Desk on this Public network.',
  });
  expect(screen.getByTestId('firewall-notice').textContent).toContain('blocks TFTP Desk');
  expect(screen.queryByRole('button', { name: /Add firewall rule/ })).toBeNull();
  expect(screen.queryByRole('alert')).toBeNull();

  b.push(null);
  expect(screen.queryByTestId('firewall-notice')).toBeNull();
});
