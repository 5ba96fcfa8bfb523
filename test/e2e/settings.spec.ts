import { join } from 'node:path';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { test, expect, SCREENSHOTS } from './helpers/fixtures';
import { curlGet, curlPut, randomFile } from './helpers/clients';
import { tempRoot } from './helpers/tftp-desk';

test('choosing a root through the path field serves the new folder', async ({ app, tftp }, testInfo) => {
  const other = await tempRoot('tftp-desk-e2e-other-');
  await mkdir(join(other, 'images'));
  const sum = await randomFile(join(other, 'images', 'vmlinuz'), 20_000);

  await app.getByLabel('Folder path').fill(other);
  await app.getByRole('button', { name: 'Use' }).click();
  await expect(app.getByTestId('root-path')).toHaveText(other);
  await expect(app.getByTestId('server-state')).toContainText(`Listening on 127.0.0.1:${tftp.port}`);

  // back to the first folder by path; the other one is then a recent folder, one click away
  await app.getByLabel('Folder path').fill(tftp.root);
  await app.getByRole('button', { name: 'Use' }).click();
  await expect(app.getByTestId('root-path')).toHaveText(tftp.root);
  await app.getByRole('button', { name: `Serve ${other}` }).click();
  await expect(app.getByTestId('root-path')).toHaveText(other);

  await app.getByRole('tab', { name: 'Files & commands' }).click();
  await expect(app.getByRole('radio', { name: 'images/vmlinuz' })).toBeChecked();
  await expect(app.locator('[data-command="curl"]')).toContainText(`tftp://`);
  await app.getByRole('button', { name: 'Checksum of images/vmlinuz' }).click();
  await expect(app.locator('.checksums')).toContainText(sum);

  const out = testInfo.outputPath('vmlinuz');
  expect((await curlGet(tftp.port, 'images/vmlinuz', out)).code).toBe(0);

  await app.getByLabel('Folder path').fill(join(other, 'does-not-exist'));
  await app.getByRole('button', { name: 'Use' }).click();
  await expect(app.getByRole('alert')).toBeVisible();
  await expect(app.getByTestId('root-path')).toHaveText(other);
});

test('turning uploads on lets a curl -T put succeed', async ({ app, tftp }, testInfo) => {
  const local = testInfo.outputPath('backup.cfg');
  await writeFile(local, 'hostname edge-01\ninterface Gi0/1\n');
  expect((await curlPut(tftp.port, local, 'edge-01-confg')).code).not.toBe(0);

  await app.getByRole('tab', { name: 'Settings' }).click();
  const port = app.getByLabel('UDP port').last();
  await port.fill('70000');
  await expect(app.getByText('Port must be a whole number from 1 to 65535.')).toBeVisible();
  await expect(app.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  await port.fill(String(tftp.port));
  await app.getByLabel('Uploads (write requests)').selectOption('create');
  await app.getByRole('button', { name: 'Save settings' }).click();
  await expect(app.getByText('Saved.')).toBeVisible();
  await app.screenshot({ path: join(SCREENSHOTS, 'settings.png') });

  const put = await curlPut(tftp.port, local, 'edge-01-confg');
  expect(put.code, put.stderr).toBe(0);
  expect(await readFile(join(tftp.root, 'edge-01-confg'), 'utf8')).toBe(
    'hostname edge-01\ninterface Gi0/1\n',
  );

  await app.getByRole('tab', { name: 'Transfers' }).click();
  await expect(app.locator('[data-history]').filter({ hasText: 'edge-01-confg' }).first()).toContainText(
    'Done',
  );
  await app.getByRole('tab', { name: 'Files & commands' }).click();
  await expect(app.getByRole('radio', { name: 'edge-01-confg' })).toBeVisible();
});
