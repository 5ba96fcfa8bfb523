// The Syslog tab's pure parts: filters, devices, the device timeline, the text for Copy/Export,
// and the store's bounded fold of pushed batches.
import { describe, expect, it } from 'vitest';
import type { SessionStartedEvent } from '../../shared/events';
import type { HistoryEntry } from '../../shared/ipc-contract';
import { SYSLOG_DEFAULTS, type SyslogMessage } from '../../shared/syslog';
import { checkInvoke } from '../../electron/app/invoke-args';
import { formatBytes } from '../../renderer/lib/format';
import {
  ALL_MESSAGES,
  deviceAddress,
  filterSyslog,
  priorityLabel,
  syslogDevices,
} from '../../renderer/lib/syslog-filter';
import { formatSyslogLine, syslogFileName, syslogText, timelineText } from '../../renderer/lib/syslog-text';
import { deviceTimeline, peerAddress, type TimelineItem } from '../../renderer/lib/syslog-timeline';
import type { DhcpLeaseView } from '../../shared/dhcp';
import type { LogEvent } from '../../shared/events';
import {
  addSyslogDrop,
  appendSyslogMessages,
  clearSyslogMessages,
  initialSyslogSlice,
  syslogFromSnapshot,
  withSyslogSettings,
} from '../../renderer/store/syslog-store';

let nextId = 1;
function msg(over: Partial<SyslogMessage> & { address?: string } = {}): SyslogMessage {
  const { address = '192.0.2.7', ...rest } = over;
  return {
    id: nextId++,
    receivedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
    peer: { address, port: 514 },
    format: 'rfc3164',
    facility: 16,
    severity: 6,
    message: 'hello',
    raw: '<134>hello',
    ...rest,
  };
}

const id = (s: string) => s;

describe('syslog filters', () => {
  const list = [
    msg({ severity: 3, message: 'flash write failed', appName: 'flashd', hostname: 'sw1' }),
    msg({ severity: 6, message: 'link up', address: '192.0.2.8' }),
    msg({ severity: 7, message: 'debug chatter' }),
    msg({ format: 'raw', severity: undefined, facility: undefined, message: 'garbage', raw: 'garbage' }),
    msg({ severity: 4, message: 'fan speed', address: '::ffff:192.0.2.8' }),
  ];

  it('passes everything unfiltered, as the same array', () => {
    expect(filterSyslog(list, ALL_MESSAGES)).toBe(list);
  });

  it('keeps the given severity and the more severe ones, and hides unparsed ones then', () => {
    const shown = filterSyslog(list, { ...ALL_MESSAGES, maxSeverity: 4 }).map((m) => m.message);
    expect(shown).toEqual(['flash write failed', 'fan speed']);
    expect(filterSyslog(list, { ...ALL_MESSAGES, maxSeverity: 0 })).toEqual([]);
  });

  it('filters by device, an IPv4-mapped sender being the same device', () => {
    expect(deviceAddress('::FFFF:192.0.2.8')).toBe('192.0.2.8');
    const shown = filterSyslog(list, { ...ALL_MESSAGES, device: '192.0.2.8' }).map((m) => m.message);
    expect(shown).toEqual(['link up', 'fan speed']);
  });

  it('finds text in the message, host, app and address, case-insensitively', () => {
    const find = (search: string) => filterSyslog(list, { ...ALL_MESSAGES, search }).map((m) => m.message);
    expect(find('FLASH')).toEqual(['flash write failed']);
    expect(find('sw1')).toEqual(['flash write failed']);
    expect(find('garb')).toEqual(['garbage']);
    expect(find('192.0.2.8')).toEqual(['link up', 'fan speed']);
  });

  it('lists devices once each, with the host name they gave', () => {
    expect(syslogDevices(list)).toEqual([
      { address: '192.0.2.7', hostname: 'sw1', count: 3 },
      { address: '192.0.2.8', count: 2 },
    ]);
  });

  it('names facility and severity as syslog.conf does', () => {
    expect(priorityLabel(msg({ facility: 16, severity: 3 }))).toBe('local0.err');
    expect(priorityLabel(msg({ format: 'raw', facility: undefined, severity: undefined }))).toBe('');
  });
});

describe('syslog text for copy and export', () => {
  it('writes one line per message, unparsed ones verbatim and marked, controls escaped', () => {
    const m = msg({ hostname: 'sw1', appName: 'sshd', procId: '42', severity: 3, message: 'bad\nkey' });
    expect(formatSyslogLine(m, (t) => t.replace('\n', '\\n'))).toBe(
      '2026-01-02T03:04:05.000Z 192.0.2.7 local0.err sw1 sshd[42]: bad\\nkey',
    );
    const raw = msg({
      format: 'raw',
      severity: undefined,
      facility: undefined,
      raw: 'just text',
      message: 'just text',
    });
    expect(formatSyslogLine(raw, id)).toBe('2026-01-02T03:04:05.000Z 192.0.2.7 [unparsed] just text');
    expect(syslogText([m, raw], (t) => t.replace('\n', '\\n')).split('\n')).toHaveLength(3);
    expect(syslogFileName(new Date(Date.UTC(2026, 11, 6, 18, 0, 1)))).toBe(
      'tftp-desk-syslog-2026-12-06T18-00-01.log',
    );
  });
});

const label = (i: TimelineItem): string =>
  i.kind === 'syslog' ? i.message.message : i.kind === 'lease' ? i.text : `${i.file} ${i.outcome}`;

describe('a device timeline', () => {
  const t0 = Date.UTC(2026, 0, 2, 3, 0, 0);
  const start = (sid: string, peer: string, time: number, file: string): SessionStartedEvent => ({
    type: 'session-started',
    time,
    id: sid,
    peer,
    file,
    direction: 'download',
    mode: 'octet',
    options: {} as SessionStartedEvent['options'],
  });
  const history: HistoryEntry[] = [
    {
      started: start('a', '192.0.2.7:2000', t0 + 1000, 'image.bin'),
      end: {
        type: 'session-finished',
        time: t0 + 5000,
        id: 'a',
        stats: { bytes: 2048, durationMs: 4000, averageRate: 512, retransmits: 0, sha256: '' },
      },
    },
    {
      started: start('b', '192.0.2.9:2000', t0 + 2000, 'other.bin'),
      end: {
        type: 'session-failed',
        time: t0 + 3000,
        id: 'b',
        code: 1,
        message: 'File not found',
        by: 'server',
        bytes: 0,
        durationMs: 1000,
      },
    },
  ];

  it('reads TFTP peer labels, IPv4 and bracketed IPv6', () => {
    expect(peerAddress('192.0.2.7:2000')).toBe('192.0.2.7');
    expect(peerAddress('[2001:db8::7]:2000')).toBe('2001:db8::7');
    expect(peerAddress('[::ffff:192.0.2.7]:69')).toBe('192.0.2.7');
  });

  it('puts that device’s transfers between its messages, in time order', () => {
    const messages = [
      msg({ receivedAt: t0 + 1000, message: 'fetching image' }),
      msg({ receivedAt: t0 + 3000, message: 'writing flash', address: '::ffff:192.0.2.7' }),
      msg({ receivedAt: t0 + 3500, message: 'not mine', address: '192.0.2.9' }),
      msg({ receivedAt: t0 + 6000, message: 'rebooting' }),
    ];
    const live = [start('c', '192.0.2.7:3000', t0 + 7000, 'config.txt')];
    const items = deviceTimeline('192.0.2.7', messages, history, live, formatBytes);
    expect(items.map((i) => (i.kind === 'transfer' ? `${i.file} ${i.outcome}` : label(i)))).toEqual([
      'image.bin started',
      'fetching image',
      'writing flash',
      'image.bin finished (2.00 KiB)',
      'rebooting',
      'config.txt started',
    ]);
    const text = timelineText(items, id).split('\n');
    expect(text[0]).toBe('2026-01-02T03:00:01.000Z 192.0.2.7:2000 [tftp] download image.bin started');
    expect(text[1]).toContain('fetching image');
  });

  it('puts its lease first: the decisions for the MAC holding its address, and when the lease ends', () => {
    const mac = '52:54:00:12:34:56';
    const leases: DhcpLeaseView[] = [
      {
        mac,
        address: '192.0.2.7',
        state: 'bound',
        expiresAt: t0 + 3_600_000,
        hostname: 'sw1',
        reserved: false,
      },
      {
        mac: '52:54:00:00:00:09',
        address: '192.0.2.9',
        state: 'bound',
        expiresAt: t0 + 60_000,
        reserved: false,
      },
    ];
    const line = (time: number, message: string, peer?: string): LogEvent => ({
      type: 'log',
      time,
      level: 'info',
      message,
      ...(peer !== undefined ? { peer } : {}),
    });
    const log = [
      line(t0 + 500, 'DHCP DISCOVER (PXEClient): offered 192.0.2.7. next free address', mac.toUpperCase()),
      line(t0 + 600, 'DHCP DISCOVER: offered 192.0.2.9.', '52:54:00:00:00:09'),
      line(t0 + 700, 'something else about this MAC', mac),
      line(t0 + 1000, 'DHCP REQUEST (PXEClient): acked 192.0.2.7, boot file image.bin.', mac),
      line(t0 + 1000, 'Boot services: running'),
    ];
    const messages = [msg({ receivedAt: t0 + 2000, message: 'fetching image' })];
    const items = deviceTimeline('192.0.2.7', messages, history, [], formatBytes, { leases, log });
    expect(items.map((i) => `${i.kind}: ${label(i)}`)).toEqual([
      'lease: DHCP DISCOVER (PXEClient): offered 192.0.2.7. next free address',
      // at the same instant the address comes before what is sent from it
      'lease: DHCP REQUEST (PXEClient): acked 192.0.2.7, boot file image.bin.',
      'transfer: image.bin started',
      'syslog: fetching image',
      'transfer: image.bin finished (2.00 KiB)',
      'lease: lease of 192.0.2.7 to 52:54:00:12:34:56 "sw1" ends',
    ]);
    expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
    const text = timelineText(items, id).split('\n');
    expect(text[1]).toBe(
      '2026-01-02T03:00:01.000Z 52:54:00:12:34:56 [dhcp] DHCP REQUEST (PXEClient): acked 192.0.2.7, boot file image.bin.',
    );
    // no lease for the address: nothing from the boot services
    expect(deviceTimeline('192.0.2.99', [], [], [], formatBytes, { leases, log })).toEqual([]);
  });

  it('marks the transfers we started ourselves as to or from the device', () => {
    const ours = { ...start('c1', '192.0.2.7:69', t0, 'flash.bin'), role: 'client' as const };
    const items = deviceTimeline('192.0.2.7', [], [], [ours], formatBytes);
    expect(items).toMatchObject([{ kind: 'transfer', role: 'client', file: 'flash.bin' }]);
    expect(timelineText(items, id)).toBe(
      '2026-01-02T03:00:00.000Z 192.0.2.7:69 [tftp] to device flash.bin started\n',
    );
  });

  it('shows a failure with its reason', () => {
    const items = deviceTimeline('192.0.2.9', [], history, [], formatBytes);
    expect(items.map((i) => (i.kind === 'transfer' ? i.outcome : ''))).toEqual([
      'started',
      'failed: File not found',
    ]);
  });
});

describe('the syslog store', () => {
  const settings = { ...SYSLOG_DEFAULTS, maxMessages: 3 };
  const base = { ...initialSyslogSlice, settings };

  it('keeps at most the cap, the newest, however the batches come', () => {
    const [a, b, c, d, e] = [msg(), msg(), msg(), msg(), msg()];
    let s = appendSyslogMessages(base, [a!, b!]);
    s = appendSyslogMessages(s, [c!, d!]);
    expect(s.messages).toEqual([b, c, d]);
    s = appendSyslogMessages(s, [a!, b!, c!, d!, e!]);
    expect(s.messages).toEqual([c, d, e]);
    expect(appendSyslogMessages(s, [])).toBe(s);
    expect(withSyslogSettings(s, { ...settings, maxMessages: 10 }).messages).toEqual([c, d, e]);
    expect(withSyslogSettings(s, { ...settings, maxMessages: 2 }).messages).toEqual([d, e]);
  });

  it('adds up drops, and Clear forgets messages and drops', () => {
    const drop = {
      type: 'syslog-dropped' as const,
      service: 'syslog' as const,
      time: 1,
      since: 0,
      dropped: { rateLimited: 5, notAllowed: 1 },
      senders: [{ address: '192.0.2.7', rateLimited: 5, notAllowed: 1 }],
      otherSenders: 0,
      total: { rateLimited: 5, notAllowed: 1 },
    };
    let s = addSyslogDrop(addSyslogDrop(base, drop), drop);
    expect(s.dropped).toEqual({ rateLimited: 10, notAllowed: 2 });
    expect(s.lastDrop).toBe(drop);
    s = clearSyslogMessages(appendSyslogMessages(s, [msg()]));
    expect(s).toMatchObject({ messages: [], dropped: { rateLimited: 0, notAllowed: 0 }, lastDrop: null });
  });

  it('takes a snapshot as the new state, within its cap', () => {
    const s = syslogFromSnapshot({
      state: { state: 'stopped' },
      settings,
      messages: [msg(), msg(), msg(), msg()],
      dropped: { rateLimited: 0, notAllowed: 0 },
      lastDrop: null,
    });
    expect(s.ready).toBe(true);
    expect(s.messages).toHaveLength(3);
  });
});

describe('syslog call arguments', () => {
  it('takes a settings object with known keys only', () => {
    expect(checkInvoke('setSyslogSettings', [{ port: 5514 }]).ok).toBe(true);
    expect(checkInvoke('setSyslogSettings', [{ root: '/' }])).toEqual({
      ok: false,
      error: 'Unknown syslog setting "root".',
    });
    expect(checkInvoke('setSyslogSettings', [[1]]).ok).toBe(false);
    expect(checkInvoke('startSyslog', [1]).ok).toBe(false);
    expect(checkInvoke('clearSyslog', []).ok).toBe(true);
  });
});
