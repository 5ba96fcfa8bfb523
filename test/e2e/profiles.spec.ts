// Device profiles from the browser UI: a rule added in Settings reaches the running server at once
// (curl asking for blksize 1024 gets plain 512-byte blocks), the transfer carries the profile's
// badge in history, a bad rule is refused with a plain message, and a rule can be removed.
import { test, expect } from './helpers/fixtures';
import { curlGet, randomFile } from './helpers/clients';
import { join } from 'node:path';

test('a profile rule added in Settings applies to the next transfer and shows on it', async ({
  app,
  tftp,
}, testInfo) => {
  await randomFile(join(tftp.root, 'router.bin'), 5000);
  await app.getByRole('tab', { name: 'Settings' }).click();
  const panel = app.getByRole('region', { name: 'Device profiles' });
  await expect(panel.getByTestId('no-profile-rules')).toBeVisible();

  await panel.getByLabel('Address or range').fill('127.0.0.300');
  await panel.getByRole('button', { name: 'Add rule' }).click();
  await expect(panel.getByRole('alert')).toContainText('"127.0.0.300" is not an address');

  await panel.getByLabel('Address or range').fill('127.0.0.0/8');
  await panel.getByLabel('Profile', { exact: true }).selectOption('plain-rfc1350');
  await panel.getByRole('button', { name: 'Add rule' }).click();
  const rules = panel.getByRole('list', { name: 'Profile rules' });
  await expect(rules.getByRole('listitem')).toHaveCount(1);
  await expect(rules).toContainText('127.0.0.0/8');
  await expect(rules).toContainText('Plain RFC 1350');

  const got = await curlGet(tftp.port, 'router.bin', testInfo.outputPath('router.bin'), 1024);
  expect(got.code, got.stderr).toBe(0);
  await app.getByRole('tab', { name: 'Transfers' }).click();
  const badge = app.locator('[data-history] [data-profile="plain-rfc1350"]').first();
  await expect(badge).toContainText('Plain RFC 1350');

  await app.getByRole('tab', { name: 'Settings' }).click();
  await panel.getByRole('button', { name: 'Remove the rule for 127.0.0.0/8' }).click();
  await expect(panel.getByTestId('no-profile-rules')).toBeVisible();
});
