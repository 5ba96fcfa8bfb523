// `tftp-desk serve --ui --syslog PORT`: the app controller behind the browser UI owns the receiver
// (so the page can stop and start it), starts it with the UI, and the CLI still prints each
// message. Without --syslog it stays off. Real engine, real receiver, real `logger` on loopback.
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ENGINE_DEFAULTS } from '../../shared/settings.js';
import type { SyslogEvent } from '../../shared/syslog.js';
import { startHeadlessUi, type HeadlessUi } from '../../electron/cli/headless.js';
import { createTftpEngine } from '../../electron/tftp/index.js';

const run = promisify(execFile);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function headless(
  syslogPort: number | undefined,
  onSyslog: (e: SyslogEvent) => void,
): Promise<HeadlessUi> {
  const root = mkdtempSync(join(tmpdir(), 'tftp-desk-headless-syslog-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const settings = { ...ENGINE_DEFAULTS, root, hosts: ['127.0.0.1'], port: await freeUdpPort() };
  const engine = createTftpEngine(settings);
  const ui = await startHeadlessUi({
    engine,
    settings,
    uiPort: 0,
    dataDir: root,
    ...(syslogPort !== undefined ? { syslogPort } : {}),
    onSyslog,
  });
  cleanups.push(async () => {
    await ui.close();
    await engine.stop();
  });
  return ui;
}

describe('serve --ui --syslog', () => {
  it('starts the receiver with the UI and prints what logger sends', async () => {
    const port = await freeUdpPort();
    const events: SyslogEvent[] = [];
    let heard: () => void = () => undefined;
    const message = new Promise<void>((resolve) => (heard = resolve));
    await headless(port, (e) => {
      events.push(e);
      if (e.type === 'syslog-messages') heard();
    });
    expect(events[0]).toMatchObject({ type: 'syslog-state', state: { state: 'starting' } });
    expect(events.find((e) => e.type === 'syslog-state' && e.state.state === 'listening')).toBeDefined();
    await run('logger', [
      '--udp',
      '--server',
      '127.0.0.1',
      '--port',
      String(port),
      '--rfc5424',
      'upgrade done',
    ]);
    await message;
    const got = events.flatMap((e) => (e.type === 'syslog-messages' ? e.messages : []));
    expect(got).toMatchObject([
      { format: 'rfc5424', message: 'upgrade done', peer: { address: '127.0.0.1' } },
    ]);
  });

  it('leaves it off without --syslog', async () => {
    const events: SyslogEvent[] = [];
    await headless(undefined, (e) => events.push(e));
    expect(events).toEqual([]);
  });
});
