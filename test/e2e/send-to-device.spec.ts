// The "Send to device" tab in the browser UI: a file of the served folder pushed to a second TFTP
// server on loopback (another tftp-desk accepting uploads, standing in for a device), its
// progress and outcome with the SHA-256 of the bytes sent; then a device that does not answer.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, expect } from './helpers/fixtures';
import { freeUdpPort, startTftpDesk } from './helpers/tftp-desk';

test('puts a served file to a device and shows its SHA-256; a silent device is reported plainly', async ({
  app,
  tftp,
}) => {
  const image = Buffer.alloc(200_000, 0x5a);
  image.write('recovery image', 0);
  await writeFile(join(tftp.root, 'recovery.bin'), image);
  const device = await startTftpDesk({ args: ['--uploads', 'create'] });
  try {
    await app.getByRole('tab', { name: 'Send to device', exact: true }).click();
    await app.getByLabel('Device address').fill(`127.0.0.1:${device.port}`);
    const file = app.getByLabel('File from the served folder');
    await expect(file.locator('option', { hasText: 'recovery.bin' })).toHaveCount(1);
    await file.selectOption('recovery.bin');
    await app.getByLabel('File name on the device').fill('flash.bin');
    await app.getByLabel('Block size').fill('1024');
    await app.getByRole('button', { name: 'Start', exact: true }).click();

    const sha256 = createHash('sha256').update(image).digest('hex');
    await expect(app.getByTestId('send-sha256')).toHaveText(sha256);
    await expect(app.getByTestId('send-result')).toContainText('Sent flash.bin');
    await expect(app.getByTestId('send-result')).toContainText('block size 1024');
    expect((await readFile(join(device.root, 'flash.bin'))).equals(image)).toBe(true);

    // the address is offered again
    await expect(app.locator('#send-recent-devices option')).toHaveAttribute(
      'value',
      `127.0.0.1:${device.port}`,
    );

    const silent = await freeUdpPort();
    await app.getByLabel('Device address').fill(`127.0.0.1:${silent}`);
    await app.getByLabel('Timeout').fill('1');
    await app.getByRole('button', { name: 'Start', exact: true }).click();
    await expect(app.getByRole('button', { name: 'Cancel', exact: true })).toBeVisible();
    await app.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(app.getByTestId('send-error')).toContainText('Cancelled');
  } finally {
    await device.stop();
  }
});
