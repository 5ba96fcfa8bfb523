// @vitest-environment jsdom
// Device profiles in the UI: the Settings panel adds, orders and removes rules with clear errors
// (saved through updateSettings at once), lists the built-ins with their reasons, and a transfer
// that ran under a profile carries its badge in the live list and in history.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, SessionStartedEvent } from '../../shared/events';
import type { TftpBridge } from '../../shared/ipc-contract';
import { BUILT_IN_PROFILES, findProfile, type DeviceProfile } from '../../shared/device-profiles';
import { APP_DEFAULTS, type AppSettings } from '../../shared/settings';
import { connectStores } from '../../renderer/actions';
import { SettingsView } from '../../renderer/components/SettingsView';
import { TransfersView } from '../../renderer/components/TransfersView';
import { addRule, matchText, moveRuleUp, profileEffects, removeRule } from '../../renderer/lib/profile-rules';
import { applyBatch } from '../../renderer/store/sync';
import { useServerStore } from '../../renderer/store/server-store';
import { fakeBridge } from './fake-bridge';
import { giveElementsASize } from './jsdom-layout';

beforeAll(() => giveElementsASize());
afterEach(cleanup);

let settings: AppSettings = { ...APP_DEFAULTS, root: '/srv/tftp' };

function bridgeWith(overrides: Partial<TftpBridge> = {}): TftpBridge {
  return fakeBridge(overrides, () => settings);
}

/** Connects the stores and waits until the first snapshot landed (it would overwrite later state). */
async function connect(bridge: TftpBridge): Promise<void> {
  useServerStore.setState({ ready: false });
  connectStores(bridge);
  await waitFor(() => expect(useServerStore.getState().ready).toBe(true));
}

describe('profile rules (pure)', () => {
  const rules = [{ match: '10.0.0.0/24', profile: 'old-u-boot' }];

  it('adds a valid rule at the end and refuses a bad, duplicate or empty one', () => {
    expect(addRule(rules, ' client:cisco ', 'cisco-rommon')).toEqual({
      ok: true,
      rules: [...rules, { match: 'client:cisco', profile: 'cisco-rommon' }],
    });
    expect(addRule(rules, '10.0.0.0/24', 'plain-rfc1350')).toEqual({
      ok: false,
      error: expect.stringMatching(/exists already/),
    });
    expect(addRule(rules, '10.0.0.999', 'plain-rfc1350')).toEqual({
      ok: false,
      error: expect.stringMatching(/not an address, a CIDR range/),
    });
    expect(addRule(rules, '', 'plain-rfc1350')).toEqual({ ok: false, error: expect.stringMatching(/Enter/) });
  });

  it('moves and removes by position', () => {
    const two = [...rules, { match: 'client:ipxe', profile: 'strict-pxe' }];
    expect(moveRuleUp(two, 1)).toEqual([two[1], two[0]]);
    expect(moveRuleUp(two, 0)).toEqual(two);
    expect(removeRule(two, 0)).toEqual([two[1]]);
  });

  it('says what each profile changes', () => {
    expect(profileEffects(findProfile('plain-rfc1350') as DeviceProfile)).toEqual([
      'no OACK: options ignored, 512-byte blocks',
    ]);
    expect(profileEffects(findProfile('old-u-boot') as DeviceProfile)).toEqual([
      'blksize at most 1468',
      'values only as asked',
      'no windowsize',
      'option names echoed as spelled',
    ]);
    expect(matchText('client:u-boot')).toBe('client U-Boot');
    expect(matchText('10.0.0.1-10.0.0.9')).toBe('10.0.0.1-10.0.0.9');
  });
});

describe('Settings > Device profiles', () => {
  it('adds rules by address and by client, refuses a bad one with a message, and removes', async () => {
    settings = { ...APP_DEFAULTS, root: '/srv/tftp' };
    const calls: Partial<AppSettings>[] = [];
    await connect(
      bridgeWith({
        updateSettings: async (patch) => {
          calls.push(patch);
          settings = { ...settings, ...patch };
          return { ok: true, settings };
        },
      }),
    );
    render(<SettingsView />);
    const panel = within(await screen.findByRole('region', { name: 'Device profiles' }));
    expect(panel.getByTestId('no-profile-rules')).toBeTruthy();
    for (const p of BUILT_IN_PROFILES) expect(panel.getByText(p.reason)).toBeTruthy();

    fireEvent.change(panel.getByLabelText('Address or range'), { target: { value: '10.0.0.300' } });
    fireEvent.click(panel.getByRole('button', { name: 'Add rule' }));
    expect((await panel.findByRole('alert')).textContent).toMatch(/"10.0.0.300" is not an address/);
    expect(calls).toEqual([]);

    fireEvent.change(panel.getByLabelText('Address or range'), { target: { value: '10.0.0.0/24' } });
    fireEvent.change(panel.getByLabelText('Profile'), { target: { value: 'old-u-boot' } });
    fireEvent.click(panel.getByRole('button', { name: 'Add rule' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toEqual({ profiles: [{ match: '10.0.0.0/24', profile: 'old-u-boot' }] });

    fireEvent.change(panel.getByLabelText('Match clients by'), { target: { value: 'client' } });
    fireEvent.change(panel.getByLabelText('Client'), { target: { value: 'cisco' } });
    fireEvent.change(panel.getByLabelText('Profile'), { target: { value: 'cisco-rommon' } });
    fireEvent.click(panel.getByRole('button', { name: 'Add rule' }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]?.profiles?.[1]).toEqual({ match: 'client:cisco', profile: 'cisco-rommon' });
    const list = within(await panel.findByRole('list', { name: 'Profile rules' }));
    expect(list.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringContaining('Old U-Boot'),
      expect.stringContaining('Cisco ROMMON'),
    ]);

    const remove = list.getByRole('button', { name: 'Remove the rule for 10.0.0.0/24' }) as HTMLButtonElement;
    await waitFor(() => expect(remove.disabled).toBe(false)); // enabled once the last save returned
    fireEvent.click(remove);
    await waitFor(() => expect(calls).toHaveLength(3));
    expect(calls[2]).toEqual({ profiles: [{ match: 'client:cisco', profile: 'cisco-rommon' }] });
  }, 30_000); // many renders in jsdom: headroom on a loaded machine, not a speed check

  it('shows the server’s refusal', async () => {
    settings = { ...APP_DEFAULTS, root: '/srv/tftp' };
    await connect(
      bridgeWith({
        updateSettings: async () => ({ ok: false, errors: { profiles: 'Rule 1: refused by the server.' } }),
      }),
    );
    render(<SettingsView />);
    const panel = within(await screen.findByRole('region', { name: 'Device profiles' }));
    fireEvent.change(panel.getByLabelText('Address or range'), { target: { value: '10.0.0.5' } });
    fireEvent.click(panel.getByRole('button', { name: 'Add rule' }));
    expect((await panel.findByRole('alert')).textContent).toBe('Rule 1: refused by the server.');
  });
});

describe('profile badge', () => {
  it('marks a transfer that ran under a profile, live and in history, and no other', async () => {
    settings = { ...APP_DEFAULTS, root: '/srv/tftp' };
    await connect(bridgeWith());
    const start = (id: string, profile?: string): SessionStartedEvent => ({
      type: 'session-started',
      time: 1,
      id,
      peer: '10.0.0.7:40000',
      file: 'u-boot.bin',
      direction: 'download',
      mode: 'octet',
      options: { blksize: 1468, windowsize: 1, timeout: 5 },
      size: 2048,
      ...(profile ? { profile } : {}),
    });
    render(<TransfersView />);
    act(() => applyBatch([start('p1', 'old-u-boot'), start('p2')]));
    const live = document.querySelector('[data-session="p1"]') as HTMLElement;
    expect(live.querySelector('[data-profile="old-u-boot"]')?.textContent).toBe('profile Old U-Boot');
    expect(document.querySelector('[data-session="p2"] [data-profile]')).toBeNull();
    const done: EngineEvent = {
      type: 'session-finished',
      time: 2,
      id: 'p1',
      stats: { bytes: 2048, durationMs: 5, averageRate: 1000, retransmits: 0, sha256: 'ab'.repeat(32) },
    };
    act(() => applyBatch([done]));
    const history = document.querySelector('[data-history="p1"]') as HTMLElement;
    const badge = history.querySelector('[data-profile="old-u-boot"]') as HTMLElement;
    expect(badge.getAttribute('title')).toMatch(/^Device profile: Old U-Boot\. U-Boot/);
  });
});
