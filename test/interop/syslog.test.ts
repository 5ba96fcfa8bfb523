// The syslog receiver on real sockets: util-linux `logger` in both formats, hand-made datagrams
// (malformed, oversized, not UTF-8), a bounded flood from one sender beside a quiet one, the
// allow-list, a port that is taken and a port an unprivileged user may not open.
import { afterEach, describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { SyslogDroppedEvent, SyslogEvent, SyslogMessage } from '../../shared/syslog.js';
import {
  createSyslogReceiver,
  type SyslogReceiver,
  type SyslogReceiverOptions,
} from '../../electron/syslog/index.js';
import { AllowList } from '../../electron/tftp/allow-list.js';
import { canBindUdp } from '../helpers/ports.js';
import { isInstalled, runProcess } from '../helpers/run-process.js';
import { settle } from '../helpers/wait.js';

interface Started {
  receiver: SyslogReceiver;
  port: number;
  events: SyslogEvent[];
}

const running: SyslogReceiver[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function startReceiver(options: Partial<SyslogReceiverOptions> = {}): Promise<Started> {
  const receiver = createSyslogReceiver({
    host: '127.0.0.1',
    port: 0,
    maxMessages: 1000,
    perSenderPerSecond: 1000,
    isAllowed: () => true,
    ...options,
  });
  running.push(receiver);
  const events: SyslogEvent[] = [];
  receiver.onEvent((e) => events.push(e));
  const state = await receiver.start();
  if (state.state !== 'listening') throw new Error(`receiver did not start: ${JSON.stringify(state)}`);
  return { receiver, port: state.addresses[0]?.port ?? 0, events };
}

/** Sends datagrams to `to`:`port` from a socket bound to `from` (a loopback address), one at a time. */
async function send(from: string, to: string, port: number, datagrams: readonly Buffer[]): Promise<void> {
  const socket = createSocket(from.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((done, fail) => {
    socket.once('error', fail);
    socket.bind(0, from, () => done());
  });
  try {
    await Promise.all(
      datagrams.map(
        (d) =>
          new Promise<void>((done, fail) => socket.send(d, port, to, (err) => (err ? fail(err) : done()))),
      ),
    );
  } finally {
    socket.close();
  }
}

async function waitForMessages(r: SyslogReceiver, count: number, timeoutMs = 5000): Promise<SyslogMessage[]> {
  const got = await settle(
    () => r.messages(),
    (m) => m.length >= count,
    timeoutMs,
  );
  expect(got.length, `messages received: ${JSON.stringify(got)}`).toBeGreaterThanOrEqual(count);
  return got;
}

async function logger(host: string, port: number, args: readonly string[]): Promise<void> {
  const result = await runProcess('logger', ['--udp', '--server', host, '--port', String(port), ...args], {
    timeoutMs: 10_000,
  });
  expect(result.code, result.stderr).toBe(0);
}

const droppedEvents = (events: SyslogEvent[]) =>
  events.filter((e): e is SyslogDroppedEvent => e.type === 'syslog-dropped');

describe.skipIf(!isInstalled('logger'))('logger (util-linux)', () => {
  it('--rfc3164 with a facility, severity and tag', async () => {
    const { receiver, port } = await startReceiver();
    await logger('127.0.0.1', port, [
      '--rfc3164',
      '-p',
      'local0.err',
      '-t',
      'ztp-upgrade',
      'copying image 42%',
    ]);
    const [m] = await waitForMessages(receiver, 1);
    expect(m).toMatchObject({
      id: 1,
      format: 'rfc3164',
      facility: 16,
      severity: 3,
      appName: 'ztp-upgrade',
      message: 'copying image 42%',
      peer: { address: '127.0.0.1' },
    });
    expect(m?.hostname).toBeTruthy();
    expect(m?.timestamp).toMatch(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d$/);
    expect(Math.abs((m?.receivedAt ?? 0) - Date.now())).toBeLessThan(10_000);
  });

  it('--rfc5424 with a pid, message id and structured data', async () => {
    const { receiver, port } = await startReceiver();
    await logger('127.0.0.1', port, [
      '--rfc5424',
      '-p',
      'user.warning',
      '-t',
      'upgrade',
      '--msgid',
      'IMG',
      '--sd-id',
      'fw@32473',
      '--sd-param',
      'version="17.9.4"',
      'verifying image',
    ]);
    const [m] = await waitForMessages(receiver, 1);
    expect(m).toMatchObject({
      format: 'rfc5424',
      facility: 1,
      severity: 4,
      appName: 'upgrade',
      msgId: 'IMG',
      message: 'verifying image',
    });
    expect(m?.structuredData).toContain('[fw@32473 version="17.9.4"]');
    expect(m?.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+[+-]\d\d:\d\d$/);
  });

  it('every address: IPv4 and IPv6 loopback both heard, one port', async () => {
    const ipv6 = await canBindUdp('::1');
    const allow = new AllowList(['127.0.0.0/8', '::1']);
    const { receiver, port, events } = await startReceiver({ host: '', isAllowed: (a) => allow.allows(a) });
    const listening = events.find((e) => e.type === 'syslog-state' && e.state.state === 'listening');
    const addresses =
      listening?.type === 'syslog-state' && listening.state.state === 'listening'
        ? listening.state.addresses
        : [];
    expect(addresses.map((a) => a.address)).toEqual(ipv6 ? ['0.0.0.0', '::'] : ['0.0.0.0']);
    expect(new Set(addresses.map((a) => a.port))).toEqual(new Set([port]));
    await logger('127.0.0.1', port, ['--rfc5424', '-t', 'v4', 'over IPv4']);
    if (ipv6) await logger('::1', port, ['--rfc5424', '-t', 'v6', 'over IPv6']);
    const got = await waitForMessages(receiver, ipv6 ? 2 : 1);
    expect(got.map((m) => [m.peer.address, m.appName, m.message]).sort()).toEqual(
      [['127.0.0.1', 'v4', 'over IPv4'], ...(ipv6 ? [['::1', 'v6', 'over IPv6']] : [])].sort(),
    );
  });
});

describe('datagrams no parser expects', () => {
  it('keeps malformed ones as raw, oversized ones cut with a marker, and shows non-UTF-8 bytes', async () => {
    const { receiver, port, events } = await startReceiver();
    const big = Buffer.concat([
      Buffer.from('<134>Dec  6 07:18:08 sw1 ztp: '),
      Buffer.alloc(20_000 - 30, 0x41),
    ]);
    await send('127.0.0.1', '127.0.0.1', port, [Buffer.from('no priority here\n')]);
    await send('127.0.0.1', '127.0.0.1', port, [Buffer.from('<999>out of range')]);
    await send('127.0.0.1', '127.0.0.1', port, [Buffer.from([0x3c, 0xff, 0x00, 0x01, 0x3e, 0x0a, 0x00])]);
    await send('127.0.0.1', '127.0.0.1', port, [Buffer.alloc(0)]);
    await send('127.0.0.1', '127.0.0.1', port, [big]);
    await send('127.0.0.1', '127.0.0.1', port, [Buffer.from('<13>sw1: caf\xe9 \xff\xfe done', 'latin1')]);
    const got = await waitForMessages(receiver, 6);
    expect(got.map((m) => [m.format, m.message])).toEqual([
      ['raw', 'no priority here'],
      ['raw', '<999>out of range'],
      ['raw', '<\\xFF\\x00\\x01>'],
      ['raw', ''],
      ['rfc3164', `${'A'.repeat(8192 - 30)} [truncated: 20000 bytes received]`],
      ['rfc3164', 'caf\\xE9 \\xFF\\xFE done'],
    ]);
    expect(got[4]).toMatchObject({ appName: 'ztp', hostname: 'sw1', truncatedFrom: 20_000 });
    expect(got.map((m) => m.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(receiver.stats()).toEqual({
      received: 6,
      accepted: 6,
      dropped: { rateLimited: 0, notAllowed: 0 },
    });
    expect(
      events
        .filter((e) => e.type === 'syslog-messages')
        .flatMap((e) => (e.type === 'syslog-messages' ? e.messages : [])),
    ).toEqual(got);
  });
});

describe('limits', () => {
  it('rate-limits a flood from one sender while another is still heard, memory bounded, drops counted', async () => {
    const perSecond = 100;
    const { receiver, port, events } = await startReceiver({
      maxMessages: 100,
      perSenderPerSecond: perSecond,
    });
    const flood = '127.0.0.2';
    const quiet = '127.0.0.3';
    const total = 20_000;
    const batch = 100;
    const line = (i: number) => Buffer.from(`<131>Dec  6 07:18:08 stuck loop[1]: line ${i}`);
    const started = Date.now();
    let sent = 0;
    let quietSent = 0;
    for (let i = 0; i < total && Date.now() - started < 60_000; i += batch) {
      await send(
        flood,
        '127.0.0.1',
        port,
        Array.from({ length: batch }, (_, k) => line(i + k)),
      );
      sent += batch;
      if ((i / batch) % 10 === 0) {
        await send(quiet, '127.0.0.1', port, [
          Buffer.from(`<134>Dec  6 07:18:08 sw2 ztp: step ${quietSent}`),
        ]);
        sent++;
        quietSent++;
      }
      // Let the receiver catch up, so the kernel never has to drop for it: every datagram sent is
      // then one the receiver saw, and the counts below must add up exactly.
      const seen = await settle(
        () => receiver.stats().received,
        (n) => n >= sent,
        5000,
      );
      expect(seen).toBe(sent);
    }
    const elapsedS = (Date.now() - started) / 1000;
    await receiver.stop();
    expect(sent).toBe(total + 20);

    const stats = receiver.stats();
    expect(stats.received).toBe(sent);
    expect(stats.accepted + stats.dropped.rateLimited).toBe(sent);
    expect(stats.dropped.notAllowed).toBe(0);

    const accepted = events.flatMap((e) => (e.type === 'syslog-messages' ? e.messages : []));
    expect(accepted).toHaveLength(stats.accepted);
    const fromFlood = accepted.filter((m) => m.peer.address === flood).length;
    // the two-second burst, then the rate
    expect(fromFlood).toBeGreaterThanOrEqual(2 * perSecond);
    expect(fromFlood).toBeLessThanOrEqual(2 * perSecond + Math.ceil(perSecond * elapsedS) + 1);
    expect(accepted.filter((m) => m.peer.address === quiet).map((m) => m.message)).toEqual(
      Array.from({ length: quietSent }, (_, k) => `step ${k}`),
    );

    expect(receiver.messages()).toHaveLength(100);
    expect(receiver.messages().at(-1)?.id).toBe(stats.accepted);

    const summaries = droppedEvents(events);
    expect(summaries.length).toBeGreaterThanOrEqual(1);
    expect(summaries.length).toBeLessThanOrEqual(Math.ceil(elapsedS) + 2);
    expect(summaries.reduce((n, s) => n + s.dropped.rateLimited, 0)).toBe(stats.dropped.rateLimited);
    expect(summaries.every((s) => s.senders[0]?.address === flood)).toBe(true);
    expect(summaries.flatMap((s) => s.senders.map((x) => x.address))).not.toContain(quiet);
    expect(summaries.at(-1)?.total).toEqual(stats.dropped);
  });

  it('drops and counts senders the allow-list leaves out', async () => {
    const allow = new AllowList(['127.0.0.2/32']);
    const { receiver, port, events } = await startReceiver({ isAllowed: (a) => allow.allows(a) });
    await send('127.0.0.2', '127.0.0.1', port, [Buffer.from('<13>sw1: allowed')]);
    await send('127.0.0.3', '127.0.0.1', port, [Buffer.from('<13>sw9: one'), Buffer.from('<13>sw9: two')]);
    await settle(
      () => receiver.stats().received,
      (n) => n >= 3,
    );
    await receiver.stop();
    expect(receiver.messages().map((m) => m.message)).toEqual(['allowed']);
    expect(receiver.stats()).toEqual({
      received: 3,
      accepted: 1,
      dropped: { rateLimited: 0, notAllowed: 2 },
    });
    const [summary] = droppedEvents(events);
    expect(summary).toMatchObject({
      dropped: { rateLimited: 0, notAllowed: 2 },
      senders: [{ address: '127.0.0.3', rateLimited: 0, notAllowed: 2 }],
      otherSenders: 0,
    });
  });
});

describe('ports that cannot be opened', () => {
  it('a taken port says so, names who may hold it and how to see who', async () => {
    const blocker = createSocket('udp4');
    await new Promise<void>((done) => blocker.bind(0, '127.0.0.1', () => done()));
    try {
      const taken = blocker.address().port;
      const receiver = createSyslogReceiver({
        host: '127.0.0.1',
        port: taken,
        maxMessages: 100,
        perSenderPerSecond: 10,
        isAllowed: () => true,
      });
      const state = await receiver.start();
      expect(state).toMatchObject({
        state: 'error',
        code: 'EADDRINUSE',
        message: `UDP port ${taken} is already in use on 127.0.0.1:${taken}.`,
      });
      expect(state.state === 'error' && state.hint).toContain(`'sport = :${taken}'`);
      expect(receiver.state).toEqual(state);
    } finally {
      blocker.close();
    }
  });

  it('port 514 taken names the syslog servers that usually hold it', async (ctx) => {
    // Held here for the test when it is free (root may bind it); if another syslog server already
    // holds it, the receiver meets that one instead, which proves the same. A user who may not bind
    // it and finds it free (no syslog server) has nothing to meet: skip.
    const blocker = createSocket('udp4');
    const refused = await new Promise<string | undefined>((done) => {
      blocker.once('error', (err: NodeJS.ErrnoException) => done(err.code));
      blocker.bind(514, '127.0.0.1', () => done(undefined));
    });
    if (refused === 'EACCES') {
      blocker.close();
      ctx.skip('port 514 is free and needs privileges this user does not have');
    }
    try {
      const receiver = createSyslogReceiver({
        host: '127.0.0.1',
        port: 514,
        maxMessages: 100,
        perSenderPerSecond: 10,
        isAllowed: () => true,
      });
      const state = await receiver.start();
      expect(state).toMatchObject({ state: 'error', code: 'EADDRINUSE' });
      expect(state.state === 'error' && state.hint).toMatch(/rsyslog or syslog-ng/);
    } finally {
      blocker.close();
    }
  });

  const isRoot = process.getuid?.() === 0;
  // Linux only; elsewhere NaN, and the case below skips
  const unprivilegedStart = existsSync('/proc/sys/net/ipv4/ip_unprivileged_port_start')
    ? Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'))
    : Number.NaN;
  it.skipIf(!isRoot || !isInstalled('setpriv') || !(unprivilegedStart > 514))(
    'port 514 as an unprivileged user: permission denied, and how to fix it',
    async () => {
      // The receiver bundled into one file a user without rights (uid 65534) can read and run.
      const dir = mkdtempSync(join(tmpdir(), 'sl-perm-'));
      try {
        chmodSync(dir, 0o755);
        const entry = resolve('electron/syslog/index.ts');
        const out = await build({
          stdin: {
            contents: `import { createSyslogReceiver } from ${JSON.stringify(entry)};
              const r = createSyslogReceiver({ host: '127.0.0.1', port: 514, maxMessages: 100,
                perSenderPerSecond: 10, isAllowed: () => true });
              const state = await r.start();
              console.log(JSON.stringify({ state, execPath: process.execPath }));
              await r.stop();`,
            resolveDir: process.cwd(),
            loader: 'ts',
          },
          bundle: true,
          platform: 'node',
          format: 'esm',
          write: false,
          logLevel: 'silent',
        });
        const script = join(dir, 'receiver.mjs');
        writeFileSync(script, out.outputFiles[0]?.text ?? '', { mode: 0o644 });
        const result = await runProcess(
          'setpriv',
          ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, script],
          { timeoutMs: 20_000, cwd: dir },
        );
        expect(result.code, result.stderr).toBe(0);
        const { state, execPath } = JSON.parse(result.stdout) as {
          state: { state: string; code: string; message: string; hint: string };
          execPath: string;
        };
        expect(state).toMatchObject({
          state: 'error',
          code: 'EACCES',
          message: 'Permission denied for UDP port 514 on 127.0.0.1:514.',
        });
        expect(state.hint).toContain(`sudo setcap cap_net_bind_service=+ep '${execPath}'`);
        expect(state.hint).toContain('port 1514');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
