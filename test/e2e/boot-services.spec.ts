// The Boot services tab in the browser UI of `tftp-desk serve --ui`: the settings form checks as
// typed with the shared messages, a start that cannot work is refused in plain words, and proxy
// mode starts and stops. The DHCP ports are moved to high ports on loopback
// (TFTP_DESK_DHCP_PORTS), and only proxy mode is started: it sends nothing until a PXE client
// asks, so nothing leaves this machine.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './helpers/fixtures';

const DATA_DIR = join(tmpdir(), `tftp-desk-e2e-dhcp-${process.pid}`);
const BASE_PORT = 40000 + Math.floor(Math.random() * 9000);

test.use({
  serverArgs: ['--data-dir', DATA_DIR],
  serverEnv: { TFTP_DESK_DHCP_PORTS: `${BASE_PORT},${BASE_PORT + 1},${BASE_PORT + 2}` },
});
test.afterAll(() => rmSync(DATA_DIR, { recursive: true, force: true }));

const form = (page: Page) => page.getByRole('form', { name: 'Boot services settings' });

test('the tab suggests a range from the interface, marks bad values and refuses to start with them', async ({
  app,
}) => {
  await app.getByRole('tab', { name: 'Boot services' }).click();
  await expect(app.getByTestId('dhcp-status')).toHaveText('Stopped');
  await expect(app.getByText('Boot services never start by themselves')).toBeVisible();
  await expect(app.getByRole('button', { name: 'Start boot services' })).toBeDisabled();

  await form(app).getByLabel('Mode').selectOption('provision');
  await form(app).getByLabel('Interface').selectOption('127.0.0.1');
  await expect(form(app).getByLabel('Range from')).toHaveValue('127.0.0.100');
  await expect(form(app).getByLabel('Range to')).toHaveValue('127.0.0.199');

  await form(app).getByLabel('Range to').fill('10.0.0.5');
  await expect(
    app.getByText('Range end 10.0.0.5 is outside 127.0.0.0/8, the subnet of 127.0.0.1.'),
  ).toBeVisible();
  await expect(app.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await form(app).getByLabel('Reservations').fill('not-a-mac=127.0.0.50\nnonsense');
  await expect(app.getByText('"nonsense" must look like MAC=IP or MAC=IP,boot file.')).toBeVisible();
  await expect(app.getByText('Reservation MAC "not-a-mac" is not a MAC address')).toBeVisible();

  await app.getByRole('button', { name: 'Start boot services' }).click();
  await expect(app.getByText('Not started: fix the marked fields first.')).toBeVisible();
  await expect(app.getByTestId('dhcp-status')).toHaveText('Stopped');

  // proxy mode needs a boot file and no pool; without one it says so at the boot files
  await form(app).getByLabel('Reservations').fill('');
  await form(app).getByLabel('Mode').selectOption('proxy');
  await expect(
    app.getByText('proxyDHCP only tells PXE clients what to boot: set at least one boot file.'),
  ).toBeVisible();
});

test('proxy mode starts, shows in the log and stops; its settings are kept', async ({ app }) => {
  await app.getByRole('tab', { name: 'Boot services' }).click();
  await form(app).getByLabel('Mode').selectOption('proxy');
  await form(app).getByLabel('Interface').selectOption('127.0.0.1');
  await form(app).getByLabel('UEFI x64').fill('efi/ipxe.efi');
  await app.getByRole('button', { name: 'Start boot services' }).click();

  await expect(app.getByTestId('dhcp-status')).toHaveText('Running');
  await expect(app.getByTestId('dhcp-state-text')).toContainText(
    'Proxy DHCP: boot files for PXE clients on 127.0.0.1/8',
  );
  // TFTP listens on a high port here, which the state points out
  await expect(app.getByTestId('dhcp-state-text')).toContainText(
    'Devices ask for their boot file on port 69',
  );
  await expect(app.getByRole('tab', { name: /Boot services/ })).toContainText('on');

  await app.getByRole('button', { name: 'Stop boot services' }).click();
  await expect(app.getByTestId('dhcp-status')).toHaveText('Stopped');

  await app.getByRole('tab', { name: 'Log', exact: true }).click();
  await expect(app.getByText(/Boot services: Proxy DHCP/)).toBeVisible();
  await expect(app.getByText('Boot services stopped.')).toBeVisible();

  // a new page loads what was saved
  await app.reload();
  await app.getByRole('tab', { name: 'Boot services' }).click();
  await expect(form(app).getByLabel('Mode')).toHaveValue('proxy');
  await expect(form(app).getByLabel('UEFI x64')).toHaveValue('efi/ipxe.efi');
  await expect(app.getByTestId('dhcp-status')).toHaveText('Stopped');
});

test.describe('boot services asked for on the command line', () => {
  test.use({
    serverArgs: [
      '--data-dir',
      DATA_DIR,
      '--dhcp-proxy',
      '--dhcp-interface',
      '127.0.0.1',
      '--boot-file-uefi',
      'efi/ipxe.efi',
    ],
  });

  test('run through the page, which shows and stops them; the terminal tells them too', async ({
    app,
    tftp,
  }) => {
    await app.getByRole('tab', { name: 'Boot services' }).click();
    await expect(app.getByTestId('dhcp-status')).toHaveText('Running');
    await expect
      .poll(() => tftp.output())
      .toContain('dhcp: Proxy DHCP: boot files for PXE clients on 127.0.0.1/8');
    await expect(form(app).getByLabel('UEFI x64')).toHaveValue('efi/ipxe.efi');
    await app.getByRole('button', { name: 'Stop boot services' }).click();
    await expect(app.getByTestId('dhcp-status')).toHaveText('Stopped');
  });
});
