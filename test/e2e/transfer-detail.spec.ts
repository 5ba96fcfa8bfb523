import { join } from 'node:path';
import { test, expect, SCREENSHOTS } from './helpers/fixtures';
import { curlGet, randomFile } from './helpers/clients';

test('a transfer opens its whole story: request, OACK, chart and SHA-256', async ({
  app,
  tftp,
}, testInfo) => {
  // blksize 8 makes 1 MB take over a hundred thousand round trips: seconds to open it while it runs,
  // even on a busy machine, and many progress samples for the chart.
  const size = 1_000_000;
  const sum = await randomFile(join(tftp.root, 'recovery.bin'), size);
  const download = curlGet(tftp.port, 'recovery.bin', testInfo.outputPath('recovery.bin'), 8);

  // Open it while it runs: the drawer follows it from the live table into history.
  const row = app.locator('[data-session]').filter({ hasText: 'recovery.bin' });
  await expect(row).toBeVisible();
  await row.click({ timeout: 10_000 });
  const detail = app.getByRole('dialog', { name: 'Transfer detail' });
  await expect(detail).toBeVisible();
  await expect(detail.getByTestId('detail-name')).toHaveText('recovery.bin');
  // curl's request, in its order and spelling.
  await expect(detail.getByRole('list', { name: 'Options as sent' }).getByRole('listitem')).toHaveText([
    'tsize = 0',
    'blksize = 8',
    'timeout = 6',
  ]);
  await expect(detail).toContainText('curl');
  // Our OACK: the real size, the block size granted, the timeout.
  await expect(detail.getByRole('list', { name: 'OACK options' }).getByRole('listitem')).toHaveText([
    `tsize = ${size}`,
    'blksize = 8',
    'timeout = 6',
  ]);

  expect((await download).code).toBe(0);
  await expect(row).toHaveCount(0);
  await expect(detail.getByTestId('detail-sha256')).toHaveText(sum);
  await expect(detail).toContainText('Done');
  const chart = detail.getByRole('img', { name: /Throughput over/ });
  await expect(chart).toBeVisible();
  expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(1);
  await expect(chart.locator('path.rate-line')).toHaveAttribute('d', /^M.*H/);

  await app.screenshot({ path: join(SCREENSHOTS, 'transfer-detail.png') });

  await app.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);

  // The same story from the history row.
  await app.locator('[data-history]').filter({ hasText: 'recovery.bin' }).click();
  await expect(detail.getByTestId('detail-sha256')).toHaveText(sum);
  await expect(detail.getByRole('img', { name: /Throughput over/ })).toBeVisible();
});
