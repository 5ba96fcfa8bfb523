// The "Send to device" tab in the browser UI: a file of the served folder pushed to a second TFTP
// server on loopback (another tftp-desk accepting uploads, standing in for a device), its
// progress and outcome with the SHA-256 of the bytes sent; the same transfer in the Transfers
// tab's history marked "to device"; a file fetched back to a typed full path outside the served
// folder ("from device"); then a device that does not answer, live in the Transfers tab meanwhile.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
  const outside = await mkdtemp(join(tmpdir(), 'tftp-desk-e2e-outside-'));
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
    // the terminal running `serve --ui` tells of it too
    await expect.poll(() => tftp.output()).toContain(`put finished 127.0.0.1:${device.port}  flash.bin`);

    // the address is offered again
    await expect(app.locator('#send-recent-devices option')).toHaveAttribute(
      'value',
      `127.0.0.1:${device.port}`,
    );

    // the same transfer in the one history, marked as ours and which way it went
    const sendTab = app.getByRole('tab', { name: 'Send to device', exact: true });
    const transfersTab = app.getByRole('tab', { name: 'Transfers' });
    await transfersTab.click();
    const sent = app.locator('[data-history][data-role="client"]').filter({ hasText: 'flash.bin' });
    await expect(sent).toHaveCount(1);
    await expect(sent).toContainText('to device');
    await expect(sent).toContainText('Done');
    await expect(sent).toContainText(sha256.slice(0, 16));
    await expect(sent.locator('[title="Sent to device"]')).toHaveCount(1);

    // fetched back to a full path outside the served folder, typed in the browser
    await sendTab.click();
    await app.getByLabel('Direction').selectOption('get');
    await app.getByLabel('File name on the device').fill('flash.bin');
    await app.getByLabel('Save the file').selectOption('elsewhere');
    await expect(app.getByText(/writes this file on the machine running the server/)).toBeVisible();
    await app.getByLabel('Save as (full path)').fill(join(outside, 'missing-folder', 'back.bin'));
    await app.getByRole('button', { name: 'Start', exact: true }).click();
    await expect(app.getByTestId('send-refused')).toContainText('was not found');
    await app.getByLabel('Save as (full path)').fill(join(outside, 'back.bin'));
    await app.getByRole('button', { name: 'Start', exact: true }).click();
    await expect(app.getByTestId('send-result')).toContainText(`Saved as ${join(outside, 'back.bin')}`);
    expect((await readFile(join(outside, 'back.bin'))).equals(image)).toBe(true);
    await transfersTab.click();
    const fetched = app.locator('[data-history][data-role="client"]').filter({ hasText: 'from device' });
    await expect(fetched).toContainText('flash.bin');
    await expect(fetched).toContainText(sha256.slice(0, 16));

    // a device that does not answer yet: live in the Transfers tab while we keep asking
    await sendTab.click();
    await app.getByLabel('Direction').selectOption('put');
    await app.getByLabel('Send a file from').selectOption('served');
    await app.getByLabel('File from the served folder').selectOption('recovery.bin');
    const silent = await freeUdpPort();
    await app.getByLabel('Device address').fill(`127.0.0.1:${silent}`);
    await app.getByLabel('Timeout').fill('1');
    await app.getByLabel('Wait for the device').fill('60');
    await app.getByRole('button', { name: 'Start', exact: true }).click();
    await expect(app.getByRole('button', { name: 'Cancel', exact: true })).toBeVisible();
    await transfersTab.click();
    const live = app.locator('[data-session][data-role="client"]');
    await expect(live).toContainText('to device');
    await expect(live).toContainText('Contacting');
    await expect(live).toContainText(`127.0.0.1:${silent}`);
    await sendTab.click();
    await app.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(app.getByTestId('send-error')).toContainText('Cancelled');
    await transfersTab.click();
    await expect(app.locator('[data-session]')).toHaveCount(0);
    await expect(app.locator('[data-history].failed[data-role="client"]')).toContainText('Cancelled');
  } finally {
    await device.stop();
    await rm(outside, { recursive: true, force: true });
  }
});
