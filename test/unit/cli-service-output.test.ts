import { describe, expect, it } from 'vitest';
import {
  describeDhcpDecision,
  describeDhcpState,
  describeSyslogMessage,
} from '../../electron/cli/service-output.js';

const at = new Date(2026, 0, 2, 3, 4, 5).getTime();

describe('serve output for the boot services and syslog', () => {
  it('says what DHCP answered, to whom and why, in one line', () => {
    expect(
      describeDhcpDecision({
        at,
        mac: '52:54:00:12:34:56',
        xid: 1,
        kind: 'DISCOVER',
        outcome: 'offered',
        reason: 'a free address from the pool',
        address: '10.0.0.100',
        bootFile: 'ipxe.efi',
        vendorClass: 'PXEClient:Arch:00007',
        arch: 7,
        via: 'dhcp',
      }),
    ).toBe(
      '[03:04:05] dhcp DISCOVER 52:54:00:12:34:56 (PXEClient:Arch:00007, UEFI x64) -> offered 10.0.0.100 boot ipxe.efi: a free address from the pool',
    );
    expect(
      describeDhcpDecision({
        at,
        mac: 'aa:bb:cc:dd:ee:ff',
        xid: 2,
        kind: 'REQUEST',
        outcome: 'ignored',
        reason: 'relayed',
        via: 'proxy-4011',
      }),
    ).toBe('[03:04:05] dhcp REQUEST aa:bb:cc:dd:ee:ff (port 4011) -> ignored: relayed');
  });

  it('escapes what a device chose, so it cannot drive the terminal', () => {
    const line = describeSyslogMessage({
      id: 1,
      receivedAt: at,
      peer: { address: '10.0.0.5', port: 514 },
      format: 'rfc3164',
      severity: 3,
      facility: 1,
      hostname: 'sw\u001b[2J',
      appName: 'app',
      message: 'boot \u001b]0;owned\u0007 done',
      raw: '',
    });
    expect(line).toBe('[03:04:05] syslog 10.0.0.5 err sw\\x1b[2J app: boot \\x1b]0;owned\\x07 done');
    expect(
      describeDhcpDecision({
        at,
        mac: 'aa:bb:cc:dd:ee:ff',
        xid: 3,
        kind: 'DISCOVER',
        outcome: 'offered',
        reason: 'x',
        vendorClass: 'evil\u001b[31m',
        via: 'dhcp',
      }),
    ).toContain('(evil\\x1b[31m)');
  });

  it('puts errors with their hint on the error stream, and stays quiet when DHCP is simply off', () => {
    expect(
      describeDhcpState({
        status: 'error',
        mode: 'provision',
        message: 'Another DHCP server answers',
        hint: 'Use proxy mode',
      }),
    ).toEqual({
      line: 'dhcp error: Another DHCP server answers\n  Use proxy mode',
      error: true,
    });
    expect(describeDhcpState({ status: 'stopped', mode: 'off' })).toBeUndefined();
    expect(
      describeDhcpState({
        status: 'stopped',
        mode: 'provision',
        message: 'Stopped by itself after 5 minutes, as set.',
      }),
    ).toEqual({
      line: 'dhcp: Stopped by itself after 5 minutes, as set.',
      error: false,
    });
  });
});
