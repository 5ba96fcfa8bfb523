// Who holds the port, read from the real commands' recorded outputs (ss on Linux, netstat +
// tasklist on Windows, lsof on macOS and Linux).
import { describe, expect, it } from 'vitest';
import type { Exec } from '../../../electron/app/preflight/exec.js';
import { parseLsofUdp } from '../../../electron/app/preflight/lsof-parse.js';
import { listHolders } from '../../../electron/app/preflight/port-check.js';
import {
  nameHolders,
  parseNetstatUdp,
  parseTasklistCsv,
} from '../../../electron/app/preflight/netstat-parse.js';
import { describeHolder, holdersOfPort, splitHostPort } from '../../../electron/app/preflight/port-holder.js';
import { parseSsUdp } from '../../../electron/app/preflight/ss-parse.js';
import { fixture } from './fixture.js';

describe('splitHostPort', () => {
  it('reads IPv4, bracketed IPv6, zones and wildcards', () => {
    expect(splitHostPort('0.0.0.0:69')).toEqual({ address: '0.0.0.0', port: 69 });
    expect(splitHostPort('[::1]:69')).toEqual({ address: '::1', port: 69 });
    expect(splitHostPort('192.168.0.66%enp3s0:67')).toEqual({ address: '192.168.0.66', port: 67 });
    expect(splitHostPort('[fe80::1%12]:546')).toEqual({ address: 'fe80::1', port: 546 });
    expect(splitHostPort('*:69')).toEqual({ address: '*', port: 69 });
    expect(splitHostPort('*:*')).toBeUndefined();
    expect(splitHostPort(':69')).toBeUndefined();
  });
});

describe('ss -ulpn', () => {
  it('lists our own sockets with the process (recorded here with node holding 69 and 6969)', () => {
    const h = parseSsUdp(fixture('ss-ulpn-node.txt'));
    expect(h).toEqual([
      { address: '0.0.0.0', port: 6969, process: 'node', pid: 6962 },
      { address: '127.0.0.1', port: 69, process: 'node', pid: 6962 },
      { address: '::1', port: 69, process: 'node', pid: 6962 },
    ]);
  });

  it('names every process sharing a socket, and reads zones and wildcards', () => {
    const on69 = holdersOfPort(parseSsUdp(fixture('ss-ulpn-daemons.txt')), 69);
    expect(on69.map(describeHolder)).toEqual([
      'in.tftpd (pid 1187) on 0.0.0.0',
      'dnsmasq (pid 1204) on 0.0.0.0',
      'dnsmasq (pid 1203) on 0.0.0.0',
      'in.tftpd (pid 1187) on *',
    ]);
  });

  it('keeps a socket whose owner it may not see (not root): held, by someone unknown', () => {
    const on69 = holdersOfPort(parseSsUdp(fixture('ss-ulpn-unprivileged.txt')), 69);
    expect(on69).toEqual([{ address: '0.0.0.0', port: 69 }]);
    expect(describeHolder(on69[0]!)).toBe('a process on 0.0.0.0');
  });

  it('finds nothing in a header alone or in noise', () => {
    expect(parseSsUdp('State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n')).toEqual([]);
    expect(parseSsUdp('garbage\n\n1 2 3')).toEqual([]);
  });
});

describe('netstat -ano -p udp + tasklist', () => {
  it('reads PIDs per socket and names them from tasklist', () => {
    const all = parseNetstatUdp(fixture('netstat-ano-udp.txt'));
    expect(all).toContainEqual({ address: 'fe80::8d1c:2a4b:7f3e:9a10', port: 546, pid: 1900 });
    const names = parseTasklistCsv(fixture('tasklist-csv.txt'));
    expect(names.get(7740)).toBe('TFTP Desk.exe');
    const on69 = nameHolders(holdersOfPort(all, 69), names);
    expect(on69).toEqual([
      { address: '0.0.0.0', port: 69, pid: 5128, process: 'tftpd64.exe' },
      { address: '192.168.0.66', port: 69, pid: 7740, process: 'TFTP Desk.exe' },
      { address: '::', port: 69, pid: 5128, process: 'tftpd64.exe' },
    ]);
  });
});

describe('lsof -nP -iUDP:69', () => {
  it('macOS: launchd holds 69 for tftpd (the built-in tftp.plist)', () => {
    const h = parseLsofUdp(fixture('lsof-macos-launchd-tftpd.txt'));
    expect(h.map(describeHolder)).toEqual([
      'launchd (pid 1) on *',
      'launchd (pid 1) on *',
      'tftpd (pid 812) on *',
    ]);
  });

  it('Linux: the same columns (recorded here)', () => {
    expect(parseLsofUdp(fixture('lsof-linux-node.txt'))).toEqual([
      { address: '127.0.0.1', port: 69, process: 'node', pid: 6962 },
      { address: '::1', port: 69, process: 'node', pid: 6962 },
    ]);
  });

  it('nothing holds the port: lsof prints nothing', () => {
    expect(parseLsofUdp('')).toEqual([]);
  });
});

describe('listHolders on Windows (recorded outputs through the Exec seam)', () => {
  it('names the holders of 69 from netstat (udp and udpv6) and tasklist', async () => {
    const outputs: Record<string, string> = {
      'netstat -ano -p udp': fixture('netstat-ano-udp.txt'),
      'netstat -ano -p udpv6': '',
      'tasklist /FO CSV /NH': fixture('tasklist-csv.txt'),
    };
    const exec: Exec = async (file, args) => {
      const out = outputs[[file, ...args].join(' ')];
      return out === undefined
        ? { kind: 'missing', command: file }
        : { kind: 'ran', code: 0, stdout: out, stderr: '' };
    };
    const listing = await listHolders('win32', 69, exec);
    expect(listing.ok && listing.holders.map(describeHolder)).toEqual([
      'tftpd64.exe (pid 5128) on 0.0.0.0',
      'TFTP Desk.exe (pid 7740) on 192.168.0.66',
      'tftpd64.exe (pid 5128) on ::',
    ]);
    expect(await listHolders('win32', 69, async (f) => ({ kind: 'missing', command: f }))).toEqual({
      ok: false,
      reason: 'netstat is not installed here',
    });
  });
});
