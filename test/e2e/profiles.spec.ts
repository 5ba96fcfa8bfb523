// Device profiles from the browser UI: a rule added in Settings reaches the running server at once
// (curl asking for blksize 1024 gets plain 512-byte blocks), the transfer carries the profile's
// badge in history, a bad rule is refused with a plain message, and a rule can be removed; and a
// profile chosen from a real curl request in the Requests tab (client:curl) applies to the next one.
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

test('a profile chosen from a request’s fingerprint in the Requests tab applies to the next curl transfer', async ({
  app,
  tftp,
}, testInfo) => {
  await randomFile(join(tftp.root, 'router.bin'), 5000);
  const first = await curlGet(tftp.port, 'router.bin', testInfo.outputPath('first.bin'));
  expect(first.code, first.stderr).toBe(0);

  await app.getByRole('tab', { name: 'Requests' }).click();
  await app.locator('[data-request]').filter({ hasText: 'router.bin' }).first().click();
  const detail = app.getByTestId('request-detail');
  await expect(detail.getByTestId('profile-applies')).toContainText('No device profile applies');
  await detail.getByRole('button', { name: 'Use a device profile for this device…' }).click();
  const form = detail.getByRole('form', { name: 'Use a device profile for this device' });
  await form.getByLabel(/Every client that looks like curl/).check();
  await form.getByLabel('Device profile').selectOption('plain-rfc1350');
  await expect(form).toContainText('all options ignored');
  await form.getByRole('button', { name: 'Add the rule first' }).click();
  await expect(detail.getByRole('status')).toContainText(
    'Saved: rule 1: client curl → Plain RFC 1350 now applies to this device',
  );
  await expect(detail.getByTestId('profile-applies')).toHaveText(
    'Applies now: rule 1: client curl → Plain RFC 1350.',
  );

  // the running server took the rule: curl asking for blksize 1024 gets a plain RFC 1350 answer
  const second = await curlGet(tftp.port, 'router.bin', testInfo.outputPath('second.bin'), 1024);
  expect(second.code, second.stderr).toBe(0);
  await app.getByRole('tab', { name: 'Transfers' }).click();
  const badge = app.locator('[data-history] [data-profile="plain-rfc1350"]');
  await expect(badge).toHaveCount(1);
  await expect(badge).toContainText('Plain RFC 1350');
  // the transfer's detail drawer names the profile and the rule that applies to the device now
  await app
    .locator('[data-history]')
    .filter({ has: app.locator('[data-profile="plain-rfc1350"]') })
    .click();
  const drawer = app.getByTestId('transfer-detail');
  await expect(drawer).toContainText('Device profile Plain RFC 1350');
  await expect(drawer.getByTestId('profile-applies')).toHaveText(
    'Applies now: rule 1: client curl → Plain RFC 1350.',
  );
  await app.keyboard.press('Escape');

  await app.getByRole('tab', { name: 'Settings' }).click();
  const rules = app
    .getByRole('region', { name: 'Device profiles' })
    .getByRole('list', { name: 'Profile rules' });
  await expect(rules.getByRole('listitem')).toHaveCount(1);
  await expect(rules).toContainText('client curl');
});
