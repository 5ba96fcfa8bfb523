import { describe, expect, it } from 'vitest';
import type { NetInterface } from '../../shared/ipc-contract';
import { APP_DEFAULTS, validateSettings, type AppSettings } from '../../shared/settings';
import { draftFromSettings, errorsByField, MIB, settingsFromDraft } from '../../renderer/lib/settings-form';
import {
  ALL_INTERFACES,
  hostsForInterface,
  listenChoice,
  resolveCommandAddress,
} from '../../renderer/store/interfaces-store';
import { settingsPatch } from '../../renderer/store/settings-store';
import { LOOPBACK } from '../helpers/interfaces';

const saved: AppSettings = { ...APP_DEFAULTS, root: '/srv/tftp', maxUploadBytes: 1_000_000 };

describe('settings form', () => {
  it('round-trips unchanged settings into an empty patch', () => {
    const back = settingsFromDraft(draftFromSettings(saved), saved);
    expect(settingsPatch(saved, back)).toEqual({});
  });

  it('turns edits into a patch of exactly the changed fields', () => {
    const draft = {
      ...draftFromSettings(saved),
      port: '6969',
      uploads: 'create' as const,
      allow: '10.0.0.0/8\n192.168.1.7',
      maxUploadMiB: '2',
    };
    const patch = settingsPatch(saved, settingsFromDraft(draft, saved));
    expect(patch).toEqual({
      port: 6969,
      uploads: 'create',
      allow: ['10.0.0.0/8', '192.168.1.7'],
      maxUploadBytes: 2 * MIB,
    });
    expect(validateSettings(patch)).toEqual({});
  });

  it('lets validateSettings reject what was typed', () => {
    const draft = {
      ...draftFromSettings(saved),
      port: '70000',
      timeout: 'abc',
      allow: 'not-an-ip',
      portRangeOn: true,
      portFrom: '6000',
      portTo: '5000',
    };
    const errors = validateSettings(settingsPatch(saved, settingsFromDraft(draft, saved)));
    expect(Object.keys(errors).sort()).toEqual(['allow', 'port', 'portRange', 'timeout']);
    const byField = errorsByField(errors);
    expect(byField.portFrom).toContain('Port range');
    expect(byField.port).toContain('1 to 65535');
  });

  it('states that an unset port range is unset', () => {
    const withRange: AppSettings = { ...saved, portRange: { from: 50000, to: 50100 } };
    const draft = { ...draftFromSettings(withRange), portRangeOn: false };
    const patch = settingsPatch(withRange, settingsFromDraft(draft, withRange));
    expect('portRange' in patch).toBe(true);
    expect(patch.portRange).toBeNull(); // null, not undefined: it must survive JSON
  });
});

const ifaces: NetInterface[] = [
  LOOPBACK,
  {
    name: 'eth0',
    internal: false,
    up: true,
    isDefault: true,
    addresses: [
      { address: 'fe80::1', family: 'IPv6', prefix: 64 },
      { address: '192.168.1.10', family: 'IPv4', prefix: 24 },
    ],
  },
  {
    name: 'eth1',
    internal: false,
    up: true,
    isDefault: false,
    addresses: [{ address: '10.9.0.1', family: 'IPv4', prefix: 16 }],
  },
];

describe('interfaces', () => {
  it('maps host lists to the picker choice', () => {
    expect(listenChoice(ifaces, [])).toBe(ALL_INTERFACES);
    expect(listenChoice(ifaces, ['192.168.1.10'])).toBe('eth0');
    expect(listenChoice(ifaces, ['10.9.0.1'])).toBe('eth1');
    expect(listenChoice(ifaces, ['172.16.0.1'])).toBeNull();
  });

  it('listens on an interface without its link-local IPv6 address (it needs a zone)', () => {
    expect(hostsForInterface(ifaces[1] as NetInterface)).toEqual(['192.168.1.10']);
  });

  it('offers the external IPv4 of the default interface to the commands first', () => {
    expect(resolveCommandAddress(ifaces, [], null)?.address).toBe('192.168.1.10');
    expect(resolveCommandAddress(ifaces, ['10.9.0.1'], null)?.address).toBe('10.9.0.1');
    expect(resolveCommandAddress(ifaces, [], '::1')?.address).toBe('::1');
    // a pick that disappeared (interface went down) falls back
    expect(resolveCommandAddress(ifaces, [], '172.16.0.9')?.address).toBe('192.168.1.10');
    expect(resolveCommandAddress([], [], null)).toBeUndefined();
  });
});
