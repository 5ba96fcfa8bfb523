// The receiver's policy pieces on their own: the per-sender token bucket on a fake clock, the drop
// tally, the ring, the settings check and the words people see when the port cannot be opened.
import { describe, expect, it } from 'vitest';
import {
  FACILITY_NAMES,
  facilityName,
  SYSLOG_DEFAULTS,
  severityName,
  validateSyslogSettings,
} from '../../shared/syslog.js';
import { bindErrorState, permissionHint, portInUseHint } from '../../electron/syslog/bind-errors.js';
import { DropTally, SenderLimiter } from '../../electron/syslog/rate-limit.js';
import { createRing } from '../../electron/syslog/ring.js';

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });

describe('SenderLimiter', () => {
  it('lets a burst of two seconds through, then the rate', () => {
    const l = new SenderLimiter(10);
    let passed = 0;
    for (let i = 0; i < 100; i++) if (l.take('10.0.0.1', 0)) passed++;
    expect(passed).toBe(20);
    expect(l.take('10.0.0.1', 50)).toBe(false); // half a token
    expect(l.take('10.0.0.1', 100)).toBe(true); // one token after 100 ms at 10/s
    expect(l.take('10.0.0.1', 100)).toBe(false);
    // a steady 10 a second is never limited
    let steady = 0;
    for (let t = 1000; t < 11_000; t += 100) if (l.take('10.0.0.1', t)) steady++;
    expect(steady).toBe(100);
  });

  it('gives every sender its own bucket', () => {
    const l = new SenderLimiter(5);
    for (let i = 0; i < 50; i++) l.take('10.0.0.1', 0);
    expect(l.take('10.0.0.1', 0)).toBe(false);
    expect(l.take('10.0.0.2', 0)).toBe(true);
    expect(l.take('fe80::1', 0)).toBe(true);
  });

  it('stays bounded under spoofed sources: past the cap new senders share one bucket', () => {
    const l = new SenderLimiter(1);
    let passed = 0;
    for (let i = 0; i < 12_000; i++) if (l.take(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, 0)) passed++;
    // one each for 10,000 remembered senders, then a burst of 2 for all the others together
    expect(passed).toBe(10_000 + 2);
    // once they have been quiet long enough to be full again, they are forgotten
    expect(l.take('192.0.2.1', 2000)).toBe(true);
  });
});

describe('DropTally', () => {
  it('counts per sender and reason, lists the worst first, and starts a new period', () => {
    const t = new DropTally(1000);
    expect(t.summary(1500)).toBeUndefined();
    for (let i = 0; i < 30; i++) for (let k = 0; k <= i; k++) t.add(`10.0.0.${i}`, 'rateLimited');
    t.add('192.0.2.9', 'notAllowed');
    const s = t.summary(2000);
    expect(s?.since).toBe(1500);
    expect(s?.dropped).toEqual({ rateLimited: (30 * 31) / 2, notAllowed: 1 });
    expect(s?.senders).toHaveLength(20);
    expect(s?.senders[0]).toEqual({ address: '10.0.0.29', rateLimited: 30, notAllowed: 0 });
    expect(s?.otherSenders).toBe(11);
    expect(t.pending).toBe(false);
    expect(t.summary(3000)).toBeUndefined();
    t.add('10.0.0.1', 'notAllowed');
    expect(t.summary(4000)).toMatchObject({ since: 3000, dropped: { rateLimited: 0, notAllowed: 1 } });
    expect(t.total).toEqual({ rateLimited: 465, notAllowed: 2 });
  });
});

describe('ring', () => {
  it('keeps the newest, oldest first', () => {
    const r = createRing<number>(3);
    expect(r.toArray()).toEqual([]);
    for (let i = 1; i <= 7; i++) r.push(i);
    expect(r.toArray()).toEqual([5, 6, 7]);
    expect(r.size).toBe(3);
    r.clear();
    r.push(8);
    expect(r.toArray()).toEqual([8]);
    expect(() => createRing(0)).toThrow(RangeError);
  });
});

describe('syslog settings', () => {
  it('accepts the defaults and names each bad field', () => {
    expect(validateSyslogSettings(SYSLOG_DEFAULTS)).toEqual({});
    expect(validateSyslogSettings({ host: '::1', allowList: ['10.0.0.0/8', 'fe80::/10'] })).toEqual({});
    const e = validateSyslogSettings({
      port: 0,
      host: 'example.com',
      allowList: ['10.0.0.0/33'],
      maxMessages: 5,
      perSenderPerSecond: 0,
    });
    expect(Object.keys(e).sort()).toEqual(['allowList', 'host', 'maxMessages', 'perSenderPerSecond', 'port']);
    expect(e.allowList).toContain('10.0.0.0/33');
  });

  it('names severities and facilities as logger -p spells them', () => {
    expect(severityName(3)).toBe('err');
    expect(facilityName(16)).toBe('local0');
    expect(FACILITY_NAMES).toHaveLength(24);
    expect(severityName(8)).toBeUndefined();
  });
});

describe('bind errors', () => {
  it('port 514 in use names the usual holders and how to see which, per system', () => {
    expect(portInUseHint(514, 'linux')).toMatch(/rsyslog or syslog-ng.*ss -ulpn 'sport = :514'.*port 1514/);
    expect(portInUseHint(514, 'darwin')).toMatch(/syslogd.*lsof -nP -iUDP:514/);
    expect(portInUseHint(514, 'win32')).toMatch(/Kiwi Syslog.*netstat -ano -p UDP \| findstr :514/);
    expect(portInUseHint(1514, 'linux')).toMatch(/Another program holds it.*port 5514/);
    const s = bindErrorState(errno('EADDRINUSE'), '0.0.0.0', 514, 'linux');
    expect(s).toMatchObject({
      state: 'error',
      code: 'EADDRINUSE',
      message: 'UDP port 514 is already in use on 0.0.0.0:514.',
    });
  });

  it('permission denied says how to fix it on each system', () => {
    expect(permissionHint(514, 'linux', { execPath: '/opt/TFTP Desk/tftp-desk', electron: true })).toContain(
      `sudo setcap cap_net_bind_service=+ep '/opt/TFTP Desk/tftp-desk'`,
    );
    expect(permissionHint(514, 'darwin')).toMatch(/sudo.*1514/);
    expect(permissionHint(514, 'win32')).toMatch(/excludedportrange/);
    expect(permissionHint(5000, 'linux')).toMatch(/security policy/);
    const s = bindErrorState(errno('EACCES'), '::', 514, 'linux');
    expect(s).toMatchObject({ code: 'EACCES', message: 'Permission denied for UDP port 514 on [::]:514.' });
  });

  it('an address that is not here, and anything else, without a stack trace', () => {
    expect(bindErrorState(errno('EADDRNOTAVAIL'), '192.0.2.50', 514, 'linux')).toMatchObject({
      code: 'EADDRNOTAVAIL',
      message: 'The address 192.0.2.50 is not on this machine.',
    });
    expect(bindErrorState(errno('EMFILE'), '127.0.0.1', 514, 'linux')).toMatchObject({
      code: 'INTERNAL',
      message: 'Could not listen on 127.0.0.1:514: EMFILE.',
    });
  });
});
