// The Syslog tab in the browser UI: the receiver started from the page on a high loopback port,
// real `logger` (util-linux) and a second loopback sender, filters by severity and device, one
// device's timeline with its TFTP transfer, export and clear.
import { createSocket } from 'node:dgram';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test, expect } from './helpers/fixtures';
import { curlGet } from './helpers/clients';
import { freeUdpPort } from './helpers/tftp-desk';

const run = promisify(execFile);

async function logger(port: number, ...args: string[]): Promise<void> {
  await run('logger', ['--udp', '--server', '127.0.0.1', '--port', String(port), ...args]);
}

/** One datagram from another loopback address: a second device. */
async function sendFrom(source: string, port: number, text: string): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, source, resolve));
  await new Promise<void>((resolve, reject) =>
    socket.send(Buffer.from(text), port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
  );
  socket.close();
}

test('receives syslog, filters it by severity and device, shows a device timeline, exports and clears', async ({
  app,
  tftp,
}, testInfo) => {
  await app.getByRole('tab', { name: 'Syslog', exact: true }).click();
  const state = app.getByTestId('syslog-state');
  await expect(state).toHaveText('Stopped');

  const port = await freeUdpPort();
  await app.getByLabel('Syslog UDP port').fill(String(port));
  await app.getByLabel('Listen address').fill('127.0.0.1');
  await app.getByLabel('Listen address').press('Enter');
  await app.getByRole('button', { name: 'Start syslog', exact: true }).click();
  await expect(state).toHaveText(`Receiving on 127.0.0.1:${port}`);

  await writeFile(join(tftp.root, 'image.bin'), 'firmware');
  expect((await curlGet(tftp.port, 'image.bin', testInfo.outputPath('image.bin'))).code).toBe(0);
  await logger(port, '--rfc3164', '-t', 'flashd', '-p', 'local0.err', 'flash write failed');
  await logger(port, '--rfc5424', '-t', 'linkd', '-p', 'user.info', 'link up on port 1');
  await sendFrom('127.0.0.2', port, '<13>Dec  6 18:00:00 sw2 fand: fan speed normal');
  await sendFrom('127.0.0.2', port, 'garbage without a priority');

  const list = app.getByTestId('syslog-scroll');
  const count = app.getByTestId('syslog-count');
  await expect(count).toHaveText('4 of 4 messages');
  await expect(list).toContainText('flash write failed');
  await expect(list.locator('.syslog-line.raw')).toContainText('unparsed');
  await expect(list.locator('.syslog-line.raw')).toContainText('garbage without a priority');
  await expect(list.locator('.syslog-line.severe .syslog-severity')).toHaveText('err');

  await app.getByLabel('Minimum severity').selectOption({ label: 'err and above' });
  await expect(count).toHaveText('1 of 4 messages');
  await expect(list).toContainText('flash write failed');
  await expect(list).not.toContainText('link up');
  await app.getByLabel('Minimum severity').selectOption({ label: 'All severities' });

  await app.getByLabel('Syslog device').selectOption('127.0.0.2');
  await expect(count).toHaveText('2 of 4 messages');
  await expect(list).toContainText('fan speed normal');
  await expect(list).not.toContainText('flash write failed');

  await app.getByLabel('Syslog device').selectOption('127.0.0.1');
  await app.getByRole('button', { name: 'Timeline', exact: true }).click();
  await expect(list.locator('.syslog-line.transfer')).toHaveCount(2);
  await expect(list.locator('.syslog-line').first()).toContainText('image.bin');
  await expect(list).toContainText('link up on port 1');

  const download = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Export', exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^tftp-desk-syslog-.*\.log$/);
  const saved = testInfo.outputPath('syslog.log');
  await file.saveAs(saved);
  const lines = (await readFile(saved, 'utf8')).trim().split('\n');
  expect(lines).toHaveLength(4);
  expect(lines[0]).toMatch(/127\.0\.0\.1:\d+ \[tftp\] download image\.bin started$/);
  expect(lines.join('\n')).toMatch(/127\.0\.0\.1 local0\.err \S+ flashd: flash write failed/);
  expect(lines.join('\n')).not.toContain('fan speed');

  await app.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(count).toHaveText('0 of 0 messages');
  await app.getByRole('button', { name: 'Stop syslog', exact: true }).click();
  await expect(state).toHaveText('Stopped');
});

test('drops senders off the allow-list and says so', async ({ app }) => {
  await app.getByRole('tab', { name: 'Syslog', exact: true }).click();
  const port = await freeUdpPort();
  await app.getByLabel('Syslog UDP port').fill(String(port));
  await app.getByLabel('Listen address').fill('127.0.0.1');
  await app.getByLabel('Allowed senders').fill('10.0.0.0/8');
  await app.getByLabel('Allowed senders').press('Enter');
  await app.getByRole('button', { name: 'Start syslog', exact: true }).click();
  await expect(app.getByTestId('syslog-state')).toHaveText(`Receiving on 127.0.0.1:${port}`);

  await logger(port, '--rfc3164', 'from a stranger');
  await expect(app.getByTestId('syslog-dropped')).toContainText(
    '1 message dropped: 0 over the per-device rate limit, 1 from devices not on the allow-list',
  );
  await expect(app.getByTestId('syslog-dropped')).toContainText('127.0.0.1');
  await expect(app.getByTestId('syslog-count')).toHaveText('0 of 0 messages');

  await app.getByLabel('Allowed senders').fill('127.0.0.0/8');
  await app.getByLabel('Allowed senders').press('Enter');
  // a fresh snapshot shows the server has the new list before anything is sent
  await app.reload();
  await app.getByRole('tab', { name: 'Syslog', exact: true }).click();
  await expect(app.getByLabel('Allowed senders')).toHaveValue('127.0.0.0/8');
  await expect(app.getByTestId('syslog-dropped')).toContainText('1 message dropped');
  await logger(port, '--rfc3164', 'from a friend');
  await expect(app.getByTestId('syslog-scroll')).toContainText('from a friend');
});
