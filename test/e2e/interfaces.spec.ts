import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, expect } from './helpers/fixtures';

test('interfaces, the device address and ready-to-paste commands', async ({ app, tftp, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await writeFile(join(tftp.root, 'c2960-lanbasek9-mz.150-2.SE11.bin'), 'image');

  const lo = app.getByRole('radio', { name: /^lo\b/ });
  await expect(lo).toBeChecked(); // the server was started with --host 127.0.0.1
  await expect(app.locator('.iface.checked')).toContainText('127.0.0.1/8');
  await expect(app.getByLabel('Address the device uses')).toHaveValue('127.0.0.1');
  await app.getByRole('button', { name: 'Copy server address' }).click();
  expect(await app.evaluate(() => navigator.clipboard.readText())).toBe('127.0.0.1');

  await app.getByRole('tab', { name: 'Files & commands' }).click();
  const file = 'c2960-lanbasek9-mz.150-2.SE11.bin';
  await expect(app.getByRole('radio', { name: file })).toBeChecked();
  await expect(app.locator('[data-command="ios"] pre')).toHaveText(
    `copy tftp://127.0.0.1:${tftp.port}/${file} flash:`,
  );
  await expect(app.locator('[data-command="rommon"] pre')).toContainText(
    `TFTP_SERVER=127.0.0.1\nTFTP_FILE=${file}\ntftpdnld`,
  );
  await expect(app.locator('[data-command="uboot"] pre')).toHaveText(
    `setenv serverip 127.0.0.1; setenv tftpdstp ${tftp.port}; tftpboot \${loadaddr} ${file}`,
  );
  await expect(app.locator('[data-command="junos"] pre')).toHaveText(
    `file copy tftp://127.0.0.1:${tftp.port}/${file} /var/tmp/`,
  );
  await expect(app.locator('[data-command="curl"] pre')).toHaveText(
    `curl -o ${file} tftp://127.0.0.1:${tftp.port}/${file}`,
  );
  await app.getByRole('button', { name: 'Copy Linux / macOS (curl) command' }).click();
  expect(await app.evaluate(() => navigator.clipboard.readText())).toBe(
    `curl -o ${file} tftp://127.0.0.1:${tftp.port}/${file}`,
  );

  await app.getByRole('button', { name: 'Device sends' }).click();
  await expect(app.locator('[data-command="ios"] pre')).toHaveText(
    `copy running-config tftp://127.0.0.1:${tftp.port}/switch-confg`,
  );
  await expect(app.getByText('Uploads are off: turn them on in Settings first.')).toBeVisible();

  // All interfaces: every address is offered; IPv6 ones are bracketed in the commands
  await app.getByRole('radio', { name: /^All interfaces/ }).check();
  await expect(app.getByTestId('server-state')).toContainText(/Listening on .*\(\+\d+ more\)/);
  await app.getByLabel('Address the device uses').selectOption('::1');
  await app.getByRole('button', { name: 'Device fetches' }).click();
  await expect(app.locator('[data-command="ios"] pre')).toHaveText(
    `copy tftp://[::1]:${tftp.port}/${file} flash:`,
  );

  // and back to loopback only (127.0.0.1 and ::1): the server reopens its sockets there
  await lo.check();
  await expect(app.getByTestId('server-state')).toHaveText(`Listening on 127.0.0.1:${tftp.port} (+1 more)`);
  await expect(app.getByTestId('server-state').locator('.state-text')).toHaveAttribute(
    'title',
    `127.0.0.1:${tftp.port}, [::1]:${tftp.port}`,
  );
  await expect(app.getByLabel('Address the device uses')).toHaveValue('::1'); // the pick still exists: kept
});
