// The parser against what senders really put on the wire: util-linux `logger`, the RFC examples,
// and the documented formats of Cisco IOS / NX-OS / ASA, Juniper Junos, MikroTik RouterOS,
// Arista EOS, busybox and rsyslog forwarding.
import { describe, expect, it } from 'vitest';
import { parseSyslog, type ParsedSyslog } from '../../electron/syslog/parser.js';
import { parseStructuredData } from '../../electron/syslog/structured-data.js';

const BOM = '\xEF\xBB\xBF';
/** A datagram from text whose characters are bytes (so tests can write any byte with \xNN). */
const bytes = (latin1: string) => Buffer.from(latin1, 'latin1');
const parse = (text: string) => parseSyslog(Buffer.from(text, 'utf8'));

type Row = [name: string, datagram: string, expected: Omit<ParsedSyslog, 'raw'>];

const LOGGER: Row[] = [
  [
    'logger --rfc3164 -p local0.err -t mytag',
    '<131>Dec  6 07:18:08 vm mytag: hello 3164',
    {
      format: 'rfc3164',
      facility: 16,
      severity: 3,
      timestamp: 'Dec  6 07:18:08',
      hostname: 'vm',
      appName: 'mytag',
      message: 'hello 3164',
    },
  ],
  [
    'logger --rfc3164 -i -t t3 (tag with pid)',
    '<13>Dec  6 07:18:08 vm t3[10197]: with pid',
    {
      format: 'rfc3164',
      facility: 1,
      severity: 5,
      timestamp: 'Dec  6 07:18:08',
      hostname: 'vm',
      appName: 't3',
      procId: '10197',
      message: 'with pid',
    },
  ],
  [
    'logger --rfc5424 -p local0.err -t mytag (timeQuality structured data)',
    '<131>1 2026-12-06T07:18:08.071548+00:00 vm mytag - - [timeQuality tzKnown="1" isSynced="0"] hello 5424',
    {
      format: 'rfc5424',
      facility: 16,
      severity: 3,
      timestamp: '2026-12-06T07:18:08.071548+00:00',
      hostname: 'vm',
      appName: 'mytag',
      structuredData: '[timeQuality tzKnown="1" isSynced="0"]',
      message: 'hello 5424',
    },
  ],
  [
    'logger --rfc5424=notq -i --msgid --sd-id --sd-param (escaped quote)',
    '<12>1 2026-12-06T07:18:08.086446+00:00 vm root 10195 MID [ex@32473 a="b\\"c"] with sd',
    {
      format: 'rfc5424',
      facility: 1,
      severity: 4,
      timestamp: '2026-12-06T07:18:08.086446+00:00',
      hostname: 'vm',
      appName: 'root',
      procId: '10195',
      msgId: 'MID',
      structuredData: '[ex@32473 a="b\\"c"]',
      message: 'with sd',
    },
  ],
  [
    'logger --rfc5424=notime,nohost (NILVALUEs)',
    '<13>1 - - t2 - - - nil fields',
    { format: 'rfc5424', facility: 1, severity: 5, appName: 't2', message: 'nil fields' },
  ],
  [
    'logger --octet-count (TCP framing in a datagram)',
    '93 <13>1 2026-12-06T07:18:08.140575+00:00 vm oc - - [timeQuality tzKnown="1" isSynced="0"] octet',
    {
      format: 'rfc5424',
      facility: 1,
      severity: 5,
      timestamp: '2026-12-06T07:18:08.140575+00:00',
      hostname: 'vm',
      appName: 'oc',
      structuredData: '[timeQuality tzKnown="1" isSynced="0"]',
      message: 'octet',
    },
  ],
];

const RFC_EXAMPLES: Row[] = [
  [
    'RFC 5424 6.5 example 1 (BOM before MSG)',
    `<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - ${BOM}'su root' failed for lonvick on /dev/pts/8`,
    {
      format: 'rfc5424',
      facility: 4,
      severity: 2,
      timestamp: '2003-10-11T22:14:15.003Z',
      hostname: 'mymachine.example.com',
      appName: 'su',
      msgId: 'ID47',
      message: "'su root' failed for lonvick on /dev/pts/8",
    },
  ],
  [
    'RFC 5424 6.5 example 2 (no BOM, microseconds and an offset)',
    "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
    {
      format: 'rfc5424',
      facility: 20,
      severity: 5,
      timestamp: '2003-08-24T05:14:15.000003-07:00',
      hostname: '192.0.2.1',
      appName: 'myproc',
      procId: '8710',
      message: "%% It's time to make the do-nuts.",
    },
  ],
  [
    'RFC 5424 6.5 example 4 (two SD elements, no MSG)',
    '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]',
    {
      format: 'rfc5424',
      facility: 20,
      severity: 5,
      timestamp: '2003-10-11T22:14:15.003Z',
      hostname: 'mymachine.example.com',
      appName: 'evntslog',
      msgId: 'ID47',
      structuredData:
        '[exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]',
      message: '',
    },
  ],
  [
    'RFC 3164 5.4 example 1',
    "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
    {
      format: 'rfc3164',
      facility: 4,
      severity: 2,
      timestamp: 'Oct 11 22:14:15',
      hostname: 'mymachine',
      appName: 'su',
      message: "'su root' failed for lonvick on /dev/pts/8",
    },
  ],
  [
    'RFC 3164 5.4 example 2 (an address as hostname, no tag)',
    '<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!',
    {
      format: 'rfc3164',
      facility: 1,
      severity: 5,
      timestamp: 'Feb  5 17:32:18',
      hostname: '10.0.0.99',
      message: 'Use the BFG!',
    },
  ],
];

const CISCO: Row[] = [
  [
    'IOS: message counter, unsynchronised clock, %FAC-SEV-MNEMONIC',
    '<189>29: *Apr 16 12:20:04.387: %SYS-5-CONFIG_I: Configured from console by console',
    {
      format: 'rfc3164',
      facility: 23,
      severity: 5,
      timestamp: '*Apr 16 12:20:04.387',
      appName: 'SYS',
      msgId: 'SYS-5-CONFIG_I',
      message: 'Configured from console by console',
    },
  ],
  [
    'IOS: logging origin-id hostname, service sequence-numbers, show-timezone',
    '<189>30: R1: 000030: *Apr 16 12:20:09.101 UTC: %SYS-5-RELOAD: Reload requested by admin on vty0 (10.0.0.5). Reload Reason: Reload Command.',
    {
      format: 'rfc3164',
      facility: 23,
      severity: 5,
      hostname: 'R1',
      timestamp: '*Apr 16 12:20:09.101 UTC',
      appName: 'SYS',
      msgId: 'SYS-5-RELOAD',
      message: 'Reload requested by admin on vty0 (10.0.0.5). Reload Reason: Reload Command.',
    },
  ],
  [
    'IOS: service timestamps log datetime year, synchronised clock',
    '<187>31: Apr 16 2024 12:21:00.004: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down',
    {
      format: 'rfc3164',
      facility: 23,
      severity: 3,
      timestamp: 'Apr 16 2024 12:21:00.004',
      appName: 'LINK',
      msgId: 'LINK-3-UPDOWN',
      message: 'Interface GigabitEthernet0/1, changed state to down',
    },
  ],
  [
    'IOS: service timestamps log uptime',
    '<189>32: 1d02h: %LINEPROTO-5-UPDOWN: Line protocol on Interface Vlan1, changed state to up',
    {
      format: 'rfc3164',
      facility: 23,
      severity: 5,
      timestamp: '1d02h',
      appName: 'LINEPROTO',
      msgId: 'LINEPROTO-5-UPDOWN',
      message: 'Line protocol on Interface Vlan1, changed state to up',
    },
  ],
  [
    'IOS: no timestamps',
    '<190>33: %SYS-6-LOGGINGHOST_STARTSTOP: Logging to host 192.0.2.10 port 514 started - CLI initiated',
    {
      format: 'rfc3164',
      facility: 23,
      severity: 6,
      appName: 'SYS',
      msgId: 'SYS-6-LOGGINGHOST_STARTSTOP',
      message: 'Logging to host 192.0.2.10 port 514 started - CLI initiated',
    },
  ],
  [
    'NX-OS: empty counter, year first',
    '<189>: 2024 May  1 12:00:00 UTC: %ETHPORT-5-IF_UP: Interface Ethernet1/1 is up in mode access',
    {
      format: 'rfc3164',
      facility: 23,
      severity: 5,
      timestamp: '2024 May  1 12:00:00 UTC',
      appName: 'ETHPORT',
      msgId: 'ETHPORT-5-IF_UP',
      message: 'Interface Ethernet1/1 is up in mode access',
    },
  ],
  [
    'ASA: no timestamp',
    '<166>%ASA-6-302013: Built outbound TCP connection 1 for outside:192.0.2.1/443',
    {
      format: 'rfc3164',
      facility: 20,
      severity: 6,
      appName: 'ASA',
      msgId: 'ASA-6-302013',
      message: 'Built outbound TCP connection 1 for outside:192.0.2.1/443',
    },
  ],
  [
    'ASA: logging timestamp and device-id hostname (space before the colon)',
    '<166>May 01 2024 12:00:00 asa1 : %ASA-6-605005: Login permitted from 192.0.2.7/51234 to inside:192.0.2.1/ssh for user "admin"',
    {
      format: 'rfc3164',
      facility: 20,
      severity: 6,
      timestamp: 'May 01 2024 12:00:00',
      hostname: 'asa1',
      appName: 'ASA',
      msgId: 'ASA-6-605005',
      message: 'Login permitted from 192.0.2.7/51234 to inside:192.0.2.1/ssh for user "admin"',
    },
  ],
  [
    'IOS-XR: node location, process tag with pid, then the code (space before the colon)',
    "<189>1234: RP/0/RSP0/CPU0:Mar  1 12:00:00.123 UTC: config[65739]: %MGBL-CONFIG-6-DB_COMMIT : Configuration committed by user 'admin'.",
    {
      format: 'rfc3164',
      facility: 23,
      severity: 5,
      hostname: 'RP/0/RSP0/CPU0',
      timestamp: 'Mar  1 12:00:00.123 UTC',
      appName: 'config',
      procId: '65739',
      msgId: 'MGBL-CONFIG-6-DB_COMMIT',
      message: "Configuration committed by user 'admin'.",
    },
  ],
  [
    'Arista EOS: process tag, then the code',
    '<189>May  1 12:00:00 leaf1 ZeroTouch: %ZTP-6-CONFIG_DOWNLOAD: Attempting to download the startup-config',
    {
      format: 'rfc3164',
      facility: 23,
      severity: 5,
      timestamp: 'May  1 12:00:00',
      hostname: 'leaf1',
      appName: 'ZeroTouch',
      msgId: 'ZTP-6-CONFIG_DOWNLOAD',
      message: 'Attempting to download the startup-config',
    },
  ],
];

const OTHERS: Row[] = [
  [
    'Junos default (BSD)',
    "<28>Mar 13 14:06:39 router1 mgd[5114]: UI_COMMIT: User 'admin' requested 'commit' operation",
    {
      format: 'rfc3164',
      facility: 3,
      severity: 4,
      timestamp: 'Mar 13 14:06:39',
      hostname: 'router1',
      appName: 'mgd',
      procId: '5114',
      message: "UI_COMMIT: User 'admin' requested 'commit' operation",
    },
  ],
  [
    'Junos kernel (tag with a slash)',
    '<4>Mar 13 14:06:40 router1 /kernel: ae0: link state changed to UP',
    {
      format: 'rfc3164',
      facility: 0,
      severity: 4,
      timestamp: 'Mar 13 14:06:40',
      hostname: 'router1',
      appName: '/kernel',
      message: 'ae0: link state changed to UP',
    },
  ],
  [
    'Junos structured-data (RFC 5424)',
    '<165>1 2007-02-15T09:17:15.719Z router1 mgd 3046 UI_DBASE_LOGOUT_EVENT [junos@2636.1.1.1.2.18 username="regress"] User \'regress\' exiting configuration mode',
    {
      format: 'rfc5424',
      facility: 20,
      severity: 5,
      timestamp: '2007-02-15T09:17:15.719Z',
      hostname: 'router1',
      appName: 'mgd',
      procId: '3046',
      msgId: 'UI_DBASE_LOGOUT_EVENT',
      structuredData: '[junos@2636.1.1.1.2.18 username="regress"]',
      message: "User 'regress' exiting configuration mode",
    },
  ],
  [
    'MikroTik bsd-syslog: identity as hostname, topics in the message',
    '<30>Mar 10 13:47:47 MikroTik system,info,account user admin logged in from 10.1.101.212 via winbox',
    {
      format: 'rfc3164',
      facility: 3,
      severity: 6,
      timestamp: 'Mar 10 13:47:47',
      hostname: 'MikroTik',
      message: 'system,info,account user admin logged in from 10.1.101.212 via winbox',
    },
  ],
  [
    'MikroTik without bsd-syslog: no header at all after PRI',
    '<28>firewall,info input: in:ether1 out:(none), proto UDP, 10.1.101.1:520->10.1.101.255:520, len 452',
    {
      format: 'rfc3164',
      facility: 3,
      severity: 4,
      message:
        'firewall,info input: in:ether1 out:(none), proto UDP, 10.1.101.1:520->10.1.101.255:520, len 452',
    },
  ],
  [
    'busybox syslogd remote: no hostname',
    '<30>May  1 12:00:00 dropbear[1234]: Child connection from 192.168.1.10:50022',
    {
      format: 'rfc3164',
      facility: 3,
      severity: 6,
      timestamp: 'May  1 12:00:00',
      appName: 'dropbear',
      procId: '1234',
      message: 'Child connection from 192.168.1.10:50022',
    },
  ],
  [
    'rsyslog forwarding with an ISO timestamp in 3164 framing',
    '<86>2024-05-01T12:00:00.123456+02:00 host1 sshd[77]: Accepted publickey for admin',
    {
      format: 'rfc3164',
      facility: 10,
      severity: 6,
      timestamp: '2024-05-01T12:00:00.123456+02:00',
      hostname: 'host1',
      appName: 'sshd',
      procId: '77',
      message: 'Accepted publickey for admin',
    },
  ],
  [
    'HP ProCurve: address as hostname, numeric event id',
    '<14>May  1 12:00:00 10.0.0.2 00076 ports: port 1 is now on-line',
    {
      format: 'rfc3164',
      facility: 1,
      severity: 6,
      timestamp: 'May  1 12:00:00',
      hostname: '10.0.0.2',
      message: '00076 ports: port 1 is now on-line',
    },
  ],
  [
    'FortiGate key=value: no header after PRI, nothing taken as a tag',
    '<189>date=2024-05-01 time=12:00:00 devname="FG100" type="event" msg="Firmware upgraded"',
    {
      format: 'rfc3164',
      facility: 23,
      severity: 5,
      message: 'date=2024-05-01 time=12:00:00 devname="FG100" type="event" msg="Firmware upgraded"',
    },
  ],
  [
    'a counter is not followed by an origin-id unless a time or code comes next',
    '<13>12: Error: 5 things failed',
    { format: 'rfc3164', facility: 1, severity: 5, appName: 'Error', message: '5 things failed' },
  ],
  [
    'PRI and a tag only',
    '<13>su: session opened',
    { format: 'rfc3164', facility: 1, severity: 5, appName: 'su', message: 'session opened' },
  ],
  ['PRI alone', '<13>', { format: 'rfc3164', facility: 1, severity: 5, message: '' }],
  [
    'version 1 without a valid header is read as RFC 3164',
    '<13>1 hello there',
    { format: 'rfc3164', facility: 1, severity: 5, message: '1 hello there' },
  ],
];

const RAW: Row[] = [
  ['no PRI', 'hello world', { format: 'raw', message: 'hello world' }],
  [
    'PRI above 191',
    '<192>Oct 11 22:14:15 host su: x',
    { format: 'raw', message: '<192>Oct 11 22:14:15 host su: x' },
  ],
  ['empty PRI', '<>hello', { format: 'raw', message: '<>hello' }],
  ['PRI with letters', '<1a>hello', { format: 'raw', message: '<1a>hello' }],
  ['PRI of four digits', '<0013>hello', { format: 'raw', message: '<0013>hello' }],
  ['empty datagram', '', { format: 'raw', message: '' }],
];

describe('parseSyslog: real senders', () => {
  for (const [group, rows] of [
    ['logger (util-linux 2.38)', LOGGER],
    ['RFC examples', RFC_EXAMPLES],
    ['Cisco and kin', CISCO],
    ['Juniper, MikroTik, embedded, rsyslog', OTHERS],
    ['raw', RAW],
  ] as const) {
    describe(group, () => {
      it.each(rows)('%s', (_name, datagram, expected) => {
        const wire = bytes(datagram);
        const parsed = parseSyslog(wire);
        expect(parsed).toEqual({ ...expected, raw: wire.toString('utf8') });
      });
    });
  }
});

describe('parseSyslog: bytes', () => {
  it('trims trailing NULs, CRs and newlines, and nothing else', () => {
    expect(parse('<13>Dec  6 07:18:08 vm t: hi  \r\n\0\0').message).toBe('hi  ');
    expect(parse('<13>Dec  6 07:18:08 vm t: hi\n').raw).toBe('<13>Dec  6 07:18:08 vm t: hi');
    expect(parse('\n\n').raw).toBe('');
  });

  it('keeps valid UTF-8 as it is', () => {
    const p = parse('<14>1 2024-05-01T12:00:00Z sw1 ztp - - - Téléchargement de l’image ✓ 固件');
    expect(p.message).toBe('Téléchargement de l’image ✓ 固件');
  });

  it('shows non-UTF-8 bytes as \\xNN and keeps the rest', () => {
    const p = parseSyslog(bytes('<13>Dec  6 07:18:08 vm t: caf\xE9 \xFF\xFE ok'));
    expect(p.format).toBe('rfc3164');
    expect(p.message).toBe('caf\\xE9 \\xFF\\xFE ok');
    expect(p.raw).toBe('<13>Dec  6 07:18:08 vm t: caf\\xE9 \\xFF\\xFE ok');
  });

  it('escapes overlong forms, surrogates and truncated sequences', () => {
    expect(parseSyslog(bytes('<13>a\xC0\xAFb')).message).toBe('a\\xC0\\xAFb');
    expect(parseSyslog(bytes('<13>a\xED\xA0\x80b')).message).toBe('a\\xED\\xA0\\x80b');
    expect(parseSyslog(bytes('<13>a\xE2\x82')).message).toBe('a\\xE2\\x82');
  });

  it('escapes control characters (terminal escapes, embedded newlines, NUL inside), keeps tabs', () => {
    expect(parseSyslog(bytes('<13>t: \x1B[2Jgone')).message).toBe('\\x1B[2Jgone');
    expect(parseSyslog(bytes('<13>t: one\ntwo\0three\tfour')).message).toBe('one\\x0Atwo\\x00three\tfour');
    expect(parse('<13>t: a\u009Bb').message).toBe('a\\xC2\\x9Bb');
  });

  it('keeps an oversized datagram cut at 8 KiB, with a marker', () => {
    const head = '<13>Dec  6 07:18:08 vm big: ';
    const wire = Buffer.from(head + 'x'.repeat(10_000 - head.length));
    const p = parseSyslog(wire);
    expect(p.format).toBe('rfc3164');
    expect(p.appName).toBe('big');
    expect(p.truncatedFrom).toBe(10_000);
    expect(p.message).toBe('x'.repeat(8192 - head.length) + ' [truncated: 10000 bytes received]');
    expect(p.raw).toBe(wire.subarray(0, 8192).toString() + ' [truncated: 10000 bytes received]');
  });

  it('does not cut a UTF-8 character in two at the limit', () => {
    const head = '<13>t: ';
    const wire = Buffer.from(head + 'a'.repeat(8190 - head.length) + '€€€');
    const p = parseSyslog(wire);
    expect(p.message).toBe('a'.repeat(8190 - head.length) + ` [truncated: ${wire.length} bytes received]`);
  });

  it('keeps a datagram of exactly 8 KiB whole', () => {
    const wire = Buffer.from('<13>t: ' + 'y'.repeat(8192 - 7));
    const p = parseSyslog(wire);
    expect(p.truncatedFrom).toBeUndefined();
    expect(p.raw).toBe(wire.toString());
  });
});

describe('RFC 5424 structured data', () => {
  it('unescapes \\" \\\\ \\] and keeps any other backslash', () => {
    const p = parse('<13>1 - h a - - [x@1 q="say \\"hi\\"" b="c:\\\\d" r="[1\\]" o="a\\nb"] m');
    expect(p.structuredData).toBe('[x@1 q="say \\"hi\\"" b="c:\\\\d" r="[1\\]" o="a\\nb"]');
    expect(p.message).toBe('m');
    expect(parseStructuredData(p.structuredData ?? '')).toEqual([
      {
        id: 'x@1',
        params: [
          { name: 'q', value: 'say "hi"' },
          { name: 'b', value: 'c:\\d' },
          { name: 'r', value: '[1]' },
          { name: 'o', value: 'a\\nb' },
        ],
      },
    ]);
  });

  it('accepts an element without parameters and an unescaped ] inside quotes', () => {
    expect(parse('<13>1 - h a - - [origin][meta v="a]b"] m').structuredData).toBe('[origin][meta v="a]b"]');
  });

  it('keeps malformed structured data in the message', () => {
    const cases = ['[no-close x="1" text', '[x="1"] id missing', '[a b=1] unquoted', '[a]glued text'];
    for (const sd of cases) {
      const p = parse(`<13>1 - h a - - ${sd}`);
      expect(p.format).toBe('rfc5424');
      expect(p.structuredData).toBeUndefined();
      expect(p.message).toBe(sd);
    }
  });

  it('parses nothing from malformed text', () => {
    expect(parseStructuredData('[a b="1"] trailing')).toEqual([]);
    expect(parseStructuredData('')).toEqual([]);
  });
});
