import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { test, expect, SCREENSHOTS } from './helpers/fixtures';
import { busyboxGet, curlGet, curlPut, randomFile } from './helpers/clients';

test('a download shows up live and completes with its SHA-256', async ({ app, tftp, context }, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // blksize 8 makes 1 MB take over a hundred thousands of round trips: slow enough to watch live.
  const sum = await randomFile(join(tftp.root, 'firmware.bin'), 1_000_000);
  const out = testInfo.outputPath('firmware.bin');
  const download = curlGet(tftp.port, 'firmware.bin', out, 8);

  const row = app.locator('[data-session]').filter({ hasText: 'firmware.bin' });
  await expect(row).toBeVisible();
  await expect(row).toContainText('8 / 1');
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', /^([1-9]\d?)$/);
  await expect(row).toContainText('of 977 KiB');
  await expect(app.getByTestId('live-count')).toHaveText('1');

  expect((await download).code).toBe(0);
  await expect(row).toHaveCount(0);
  const done = app.locator('[data-history]').filter({ hasText: 'firmware.bin' });
  await expect(done).toContainText('Done');
  await expect(done).toContainText('977 KiB');
  await expect(done).toContainText(sum.slice(0, 16));
  const copy = done.getByRole('button', { name: /Copy SHA-256/ });
  await copy.click();
  await expect(copy).toHaveAttribute('title', 'Copied');
  expect(await app.evaluate(() => navigator.clipboard.readText())).toBe(sum);
});

test('failed requests show in history and log with their reason', async ({ app, tftp }, testInfo) => {
  await writeFile(join(tftp.root, 'present.txt'), 'x');
  const missing = await busyboxGet(tftp.port, 'no-such-image.bin', testInfo.outputPath('x'));
  expect(missing.code).not.toBe(0);
  const upload = await curlPut(tftp.port, join(tftp.root, 'present.txt'), 'new-config.txt');
  expect(upload.code).not.toBe(0);

  const notFound = app.locator('[data-history]').filter({ hasText: 'no-such-image.bin' });
  await expect(notFound).toContainText('Failed');
  await expect(notFound).toContainText('File not found (error 1, refused by the server)');
  const refused = app.locator('[data-history]').filter({ hasText: 'new-config.txt' });
  await expect(refused).toContainText('Failed');
  await expect(refused).toContainText(/error 2, refused by the server/);

  await app.getByRole('button', { name: 'Failed', exact: true }).click();
  await expect(app.locator('[data-history]')).toHaveCount(2);

  await app.getByRole('tab', { name: 'Log', exact: true }).click();
  const log = app.getByTestId('log-scroll');
  await expect(log).toContainText(/RRQ refused: .*not found/i);
  await expect(log).toContainText(/WRQ refused: .*upload/i);
  await app.getByLabel('Level').selectOption('warn');
  await expect(app.getByTestId('log-count')).toHaveText(/^2 of \d+ lines$/);
  await app.getByLabel('Search the log').fill('WRQ');
  await expect(app.getByTestId('log-count')).toHaveText(/^1 of \d+ lines$/);
});

test('main window with live transfers (screenshot)', async ({ app, tftp }, testInfo) => {
  await randomFile(join(tftp.root, 'c9300-universalk9.17.09.04a.SPA.bin'), 2_000_000);
  await randomFile(join(tftp.root, 'u-boot-sunxi-with-spl.bin'), 1_200_000);
  await randomFile(join(tftp.root, 'pxelinux.0'), 42_000);
  await writeFile(join(tftp.root, 'sw-core-01-confg'), 'hostname sw-core-01\n');
  const clients = [
    curlGet(tftp.port, 'c9300-universalk9.17.09.04a.SPA.bin', testInfo.outputPath('a'), 8),
    curlGet(tftp.port, 'c9300-universalk9.17.09.04a.SPA.bin', testInfo.outputPath('b'), 16),
    curlGet(tftp.port, 'u-boot-sunxi-with-spl.bin', testInfo.outputPath('c'), 8),
    busyboxGet(tftp.port, 'pxelinux.0', testInfo.outputPath('d')),
    curlGet(tftp.port, 'sw-core-01-confg', testInfo.outputPath('e')),
    curlGet(tftp.port, 'missing-image.bin', testInfo.outputPath('f')),
  ];
  await expect(app.locator('[data-session]')).toHaveCount(3);
  await expect(app.locator('[data-history]')).toHaveCount(3);
  await app.waitForTimeout(2500); // let the progress bars and speeds fill in
  await app.screenshot({ path: join(SCREENSHOTS, 'main.png') });
  await app.emulateMedia({ colorScheme: 'dark' });
  await app.screenshot({ path: join(SCREENSHOTS, 'main-dark.png') });
  await app.emulateMedia({ colorScheme: 'light' });
  await app.getByRole('tab', { name: 'Files & commands' }).click();
  await app.getByRole('radio', { name: 'u-boot-sunxi-with-spl.bin' }).check();
  await app.screenshot({ path: join(SCREENSHOTS, 'files-and-commands.png') });
  await app.getByRole('tab', { name: 'Log', exact: true }).click();
  await app.screenshot({ path: join(SCREENSHOTS, 'log.png') });
  for (const c of clients.slice(0, 5)) expect((await c).code).toBe(0);
});
