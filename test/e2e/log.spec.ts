import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, expect } from './helpers/fixtures';
import { curlGet } from './helpers/clients';

test('the log pauses, copies, exports and clears', async ({ app, tftp, context }, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await writeFile(join(tftp.root, 'a.cfg'), 'a');
  await app.getByRole('tab', { name: 'Log', exact: true }).click();
  expect((await curlGet(tftp.port, 'a.cfg', testInfo.outputPath('a'))).code).toBe(0);
  const log = app.getByTestId('log-scroll');
  await expect(log).toContainText('download of a.cfg started');

  await app.getByRole('button', { name: 'Pause' }).click();
  const frozen = await app.getByTestId('log-count').textContent();
  await curlGet(tftp.port, 'missing.cfg', testInfo.outputPath('b'));
  await expect(app.getByRole('button', { name: /Resume \(\d+ new\)/ })).toBeVisible();
  await expect(app.getByTestId('log-count')).toHaveText(frozen ?? '');
  await expect(log).not.toContainText('missing');
  await app.getByRole('button', { name: /Resume/ }).click();
  await expect(log).toContainText('RRQ refused');

  await app.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(app.getByText('Copied the shown lines')).toBeVisible();
  const copied = await app.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/INFO +127\.0\.0\.1:\d+ download of a\.cfg started/);

  const download = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Export', exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^tftp-desk-.*\.log$/);
  const saved = testInfo.outputPath('export.log');
  await file.saveAs(saved);
  const text = await readFile(saved, 'utf8');
  expect(text).toContain('RRQ refused');
  expect(text.trim().split('\n').length).toBeGreaterThanOrEqual(3);

  await app.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(app.getByTestId('log-count')).toHaveText('0 of 0 lines');
  await expect(log).toContainText('Nothing logged yet.');
});

test('names with control characters show escaped in the log and the history', async ({
  app,
  tftp,
}, testInfo) => {
  // curl sends the name percent-decoded: a real ESC and a newline reach the server.
  const result = await curlGet(tftp.port, 'evil%1b%5b31mname%0a.bin', testInfo.outputPath('x'));
  expect(result.code).not.toBe(0);
  const row = app.locator('[data-history]').first();
  await expect(row).toContainText('Failed');
  await expect(row).toContainText('evil\\x1b[31mname\\n.bin');
  await app.getByRole('tab', { name: 'Log', exact: true }).click();
  await expect(app.getByTestId('log-scroll')).toContainText('RRQ refused');
});
