import { describe, expect, it } from 'vitest';
import { displayText } from '../../renderer/lib/display-text';
import { etaMs, formatBytes, formatDuration, formatRate, progressFraction } from '../../renderer/lib/format';
import { hostPort, serverLabel } from '../../renderer/lib/server-label';

describe('formatting', () => {
  it('formats sizes, rates and durations', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(801.7)).toBe('802 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(8_000_000)).toBe('7.63 MiB');
    expect(formatRate(0)).toBe('—');
    expect(formatRate(153_600)).toBe('150 KiB/s');
    expect(formatDuration(16)).toBe('16 ms');
    expect(formatDuration(2500)).toBe('2.5 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(7_440_000)).toBe('2 h 04 min');
  });

  it('computes progress and time left only when the size is known', () => {
    expect(progressFraction(50, 200)).toBe(0.25);
    expect(progressFraction(50, undefined)).toBeUndefined();
    expect(progressFraction(0, 0)).toBe(1);
    expect(etaMs(100, 1100, 500)).toBe(2000);
    expect(etaMs(100, undefined, 500)).toBeUndefined();
    expect(etaMs(100, 1000, 0)).toBeUndefined();
  });
});

describe('displayText', () => {
  it('makes control, escape and direction characters visible', () => {
    expect(displayText('a\nb\r\tc\0')).toBe('a\\nb\\r\\tc\\0');
    expect(displayText('\u001b[31mred')).toBe('\\x1b[31mred');
    expect(displayText('evil\u202egnp.exe')).toBe('evil\\u202egnp.exe');
    expect(displayText('\u0085next')).toBe('\\x85next');
  });

  it('leaves ordinary text, markup and Unicode alone (React renders it as text)', () => {
    expect(displayText('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(displayText('Überwachung ファームウェア.bin')).toBe('Überwachung ファームウェア.bin');
  });

  it('caps the length', () => {
    expect(displayText('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});

describe('server label', () => {
  it('names the first external address and counts the rest', () => {
    const label = serverLabel({
      state: 'listening',
      root: '/srv/tftp',
      addresses: [
        { address: '127.0.0.1', port: 69, family: 'IPv4' },
        { address: 'fd00::2', port: 69, family: 'IPv6' },
        { address: '192.168.1.10', port: 69, family: 'IPv4' },
      ],
    });
    expect(label.text).toBe('Listening on 192.168.1.10:69 (+2 more)');
    expect(label.detail).toBe('192.168.1.10:69, [fd00::2]:69, 127.0.0.1:69');
    expect(hostPort('::1', 6969)).toBe('[::1]:6969');
  });

  it('shows an error with its hint', () => {
    const label = serverLabel({
      state: 'error',
      code: 'EACCES',
      message: 'Port 69 needs administrator rights.',
      hint: 'Use a port above 1024, e.g. 6969.',
    });
    expect(label).toMatchObject({ tone: 'error', text: 'Error: Port 69 needs administrator rights.' });
    expect(label.hint).toBe('Use a port above 1024, e.g. 6969.');
    expect(serverLabel({ state: 'stopped' }).text).toBe('Stopped');
  });
});
