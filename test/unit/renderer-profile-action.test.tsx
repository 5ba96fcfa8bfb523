// @vitest-environment jsdom
// "Use a device profile for this device…" in the Requests tab: the detail says which rule applies
// now, offers this address or every client like it (only for a known fingerprint, a guess said as
// one), shows each profile's reason, saves the new rule first through updateSettings (replacing
// the applying rule when asked), says which rule applies afterwards, and shows the server's refusal.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findProfile } from '../../shared/device-profiles';
import type { EngineEvent } from '../../shared/events';
import type { TftpBridge } from '../../shared/ipc-contract';
import { APP_DEFAULTS, validateSettings, type AppSettings } from '../../shared/settings';
import type { TftpClientKind } from '../../shared/tftp-types';
import { connectStores } from '../../renderer/actions';
import { RequestsView } from '../../renderer/components/RequestsView';
import { emptySessions, useSessionsStore } from '../../renderer/store/sessions-store';
import { useServerStore } from '../../renderer/store/server-store';
import { applyBatch } from '../../renderer/store/sync';
import { fakeBridge } from './fake-bridge';
import { giveElementsASize } from './jsdom-layout';

beforeAll(() => giveElementsASize());
afterEach(cleanup);

let settings: AppSettings = { ...APP_DEFAULTS, root: '/srv/tftp' };
let calls: Partial<AppSettings>[] = [];

/** A bridge whose updateSettings validates as the app does and keeps what it accepted. */
async function connect(overrides: Partial<TftpBridge> = {}): Promise<void> {
  calls = [];
  const bridge = fakeBridge(
    {
      updateSettings: async (patch) => {
        calls.push(patch);
        const errors = validateSettings({ ...settings, ...patch });
        if (Object.keys(errors).length > 0) return { ok: false, errors };
        settings = { ...settings, ...patch };
        return { ok: true, settings };
      },
      ...overrides,
    },
    () => settings,
  );
  useServerStore.setState({ ready: false });
  connectStores(bridge);
  await waitFor(() => expect(useServerStore.getState().ready).toBe(true));
}

function served(
  id: string,
  peer: string,
  client: TftpClientKind,
  confidence: 'likely' | 'guess',
): EngineEvent[] {
  return [
    {
      type: 'session-started',
      time: 1,
      id,
      peer,
      file: 'router.bin',
      direction: 'download',
      mode: 'octet',
      options: { blksize: 512, windowsize: 1, timeout: 6 },
      request: {
        name: `router-${id}.bin`,
        mode: 'octet',
        options: [{ name: 'tsize', value: '0' }],
        client: { client, confidence, reasons: ['tsize, blksize and timeout in curl’s order'] },
      },
    },
  ];
}

async function openDetail(id: string) {
  fireEvent.click(document.querySelector(`[data-request="${id}"]`) as HTMLElement);
  return within(await screen.findByTestId('request-detail'));
}

describe('Requests tab: Use a device profile for this device…', () => {
  it('adds a client rule first, then replaces it with an address rule, saying which rule applies', async () => {
    settings = {
      ...APP_DEFAULTS,
      root: '/srv/tftp',
      profiles: [{ match: '10.0.0.0/24', profile: 'no-windowsize' }],
    };
    await connect();
    useSessionsStore.setState(emptySessions);
    render(<RequestsView />);
    act(() => applyBatch(served('c1', '10.0.0.7:40000', 'curl', 'likely')));

    const detail = await openDetail('c1');
    expect(detail.getByTestId('profile-applies').textContent).toBe(
      'Applies now: rule 1: 10.0.0.0/24 → No windowsize.',
    );
    fireEvent.click(detail.getByRole('button', { name: 'Use a device profile for this device…' }));
    const form = within(detail.getByRole('form', { name: 'Use a device profile for this device' }));
    const radios = form.getAllByRole('radio') as HTMLInputElement[];
    expect(radios.map((r) => r.value)).toEqual(['10.0.0.7', 'client:curl']);
    expect(form.getByText(/Every client that looks like curl$/)).toBeTruthy();

    fireEvent.click(form.getByLabelText(/Every client that looks like curl/));
    fireEvent.change(form.getByLabelText('Device profile'), { target: { value: 'no-tsize' } });
    expect(form.getByText(findProfile('no-tsize')?.reason as string, { exact: false })).toBeTruthy();
    // the range rule covers other devices: replacing it is offered, not done by default
    expect((form.getByRole('checkbox') as HTMLInputElement).checked).toBe(false);
    fireEvent.click(form.getByRole('button', { name: 'Add the rule first' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toEqual({
      profiles: [
        { match: 'client:curl', profile: 'no-tsize' },
        { match: '10.0.0.0/24', profile: 'no-windowsize' },
      ],
    });
    expect((await detail.findByRole('status')).textContent).toBe(
      'Saved: rule 1: client curl → No tsize now applies to this device, from its next request on.',
    );
    expect(detail.getByTestId('profile-applies').textContent).toBe(
      'Applies now: rule 1: client curl → No tsize.',
    );

    // again, for this address only, replacing the client rule that applies now
    fireEvent.click(detail.getByRole('button', { name: 'Use a device profile for this device…' }));
    const again = within(detail.getByRole('form', { name: 'Use a device profile for this device' }));
    expect((again.getByLabelText(/This device only \(10\.0\.0\.7\)/) as HTMLInputElement).checked).toBe(true);
    fireEvent.change(again.getByLabelText('Device profile'), { target: { value: 'plain-rfc1350' } });
    fireEvent.click(again.getByLabelText(/Replace rule 1: client curl → No tsize/));
    fireEvent.click(again.getByRole('button', { name: 'Add the rule first' }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]).toEqual({
      profiles: [
        { match: '10.0.0.7', profile: 'plain-rfc1350' },
        { match: '10.0.0.0/24', profile: 'no-windowsize' },
      ],
    });
    await waitFor(() =>
      expect(detail.getByTestId('profile-applies').textContent).toBe(
        'Applies now: rule 1: 10.0.0.7 → Plain RFC 1350.',
      ),
    );
  }, 30_000); // many renders in jsdom: headroom on a loaded machine, not a speed check

  it('offers only the address for an unknown client, says when the fingerprint is a guess', async () => {
    settings = { ...APP_DEFAULTS, root: '/srv/tftp' };
    await connect();
    useSessionsStore.setState(emptySessions);
    render(<RequestsView />);
    act(() =>
      applyBatch([
        ...served('u1', '[2001:db8::7]:1069', 'unknown', 'guess'),
        ...served('g1', '[::ffff:10.0.0.9]:1069', 'busybox', 'guess'),
      ]),
    );
    const unknown = await openDetail('u1');
    expect(unknown.getByTestId('profile-applies').textContent).toMatch(/No device profile applies/);
    fireEvent.click(unknown.getByRole('button', { name: 'Use a device profile for this device…' }));
    const radios = unknown.getAllByRole('radio') as HTMLInputElement[];
    expect(radios.map((r) => r.value)).toEqual(['2001:db8::7']);
    fireEvent.click(unknown.getByRole('button', { name: 'Close' }));

    const guess = await openDetail('g1');
    fireEvent.click(guess.getByRole('button', { name: 'Use a device profile for this device…' }));
    expect(guess.getByLabelText(/This device only \(10\.0\.0\.9\)/)).toBeTruthy();
    expect(
      guess.getByLabelText(/Every client that looks like BusyBox tftp \(a guess from this request\)/),
    ).toBeTruthy();
  });

  it('shows the server’s refusal as Settings does, and keeps the rules', async () => {
    settings = { ...APP_DEFAULTS, root: '/srv/tftp' };
    await connect({
      updateSettings: async () => ({ ok: false, errors: { profiles: 'Rule 1: refused by the server.' } }),
    });
    useSessionsStore.setState(emptySessions);
    render(<RequestsView />);
    act(() => applyBatch(served('r1', '10.0.0.7:40000', 'curl', 'likely')));
    const detail = await openDetail('r1');
    fireEvent.click(detail.getByRole('button', { name: 'Use a device profile for this device…' }));
    fireEvent.click(detail.getByRole('button', { name: 'Add the rule first' }));
    expect((await detail.findByRole('alert')).textContent).toBe('Rule 1: refused by the server.');
    expect(detail.getByTestId('profile-applies').textContent).toMatch(/No device profile applies/);
  });
});
