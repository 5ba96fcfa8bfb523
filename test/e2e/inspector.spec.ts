// The request inspector and name mapping, end to end: a real client asks for a name in the wrong
// case, the Requests tab shows the request as sent (client, options, answer) with what the device
// probably meant, one click maps the name, and the same request then gets the file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { test, expect } from './helpers/fixtures';
import { busyboxGet, curlGet } from './helpers/clients';

test('a wrong-case name is inspected, mapped with one click, and then served', async ({
  app,
  tftp,
}, testInfo) => {
  await writeFile(join(tftp.root, 'openwrt-recovery.bin'), 'recovery image bytes\n');
  const out = testInfo.outputPath('got.bin');
  const first = await curlGet(tftp.port, 'OpenWrt-Recovery.BIN', out);
  expect(first.code).not.toBe(0);

  await app.getByRole('tab', { name: 'Requests' }).click();
  const row = app.locator('[data-request]').filter({ hasText: 'OpenWrt-Recovery.BIN' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Not found');
  await expect(row.getByTestId('client')).toHaveText('curl');
  // the options exactly as curl sent them: its spelling and order
  await expect(row).toContainText('tsize=0 blksize=512 timeout=6');
  await expect(row).toContainText('did you mean openwrt-recovery.bin');

  await row.click();
  const detail = app.getByTestId('request-detail');
  await expect(detail).toContainText('differs only in case');
  await detail
    .getByRole('button', { name: 'Answer OpenWrt-Recovery.BIN with openwrt-recovery.bin from now on' })
    .click();
  await expect(detail.getByRole('status')).toContainText('From now on');
  const rules = app.getByRole('list', { name: 'Mapping rules' });
  await expect(rules).toContainText('e OpenWrt-Recovery.BIN openwrt-recovery.bin');

  const second = await curlGet(tftp.port, 'OpenWrt-Recovery.BIN', out);
  expect(second.code, second.stderr).toBe(0);
  expect(await readFile(out, 'utf8')).toBe('recovery image bytes\n');
  const mapped = app.locator('[data-request]').filter({ hasText: 'Served' });
  await expect(mapped).toContainText('OpenWrt-Recovery.BIN');
  await expect(mapped).toContainText('Mapped');
  await expect(mapped).toContainText('→ openwrt-recovery.bin');

  // The filter finds requests by peer and text; the other client is named too.
  expect((await busyboxGet(tftp.port, 'pxelinux.cfg/default', testInfo.outputPath('x'))).code).not.toBe(0);
  await expect(app.locator('[data-request]')).toHaveCount(3);
  await app.getByLabel('Filter requests').fill('pxelinux');
  await expect(app.locator('[data-request]')).toHaveCount(1);
  await expect(app.locator('[data-request]').getByTestId('client')).toContainText('BusyBox');
  await app.getByLabel('Filter requests').fill('');
  await app.getByRole('button', { name: 'Mapped', exact: true }).click();
  await expect(app.locator('[data-request]')).toHaveCount(1);
  await app.getByRole('button', { name: 'All', exact: true }).click();
  await app.locator('[data-request]').filter({ hasText: 'pxelinux' }).click();
  const detail2 = app.getByTestId('request-detail');
  await expect(detail2).toContainText('pxelinux.cfg/default');
  await expect(detail2).toContainText('No served file looks like this name.');
  // any served file can answer it
  await detail2.getByLabel('Or answer it with').selectOption('openwrt-recovery.bin');
  await detail2
    .getByRole('button', { name: 'Answer pxelinux.cfg/default with openwrt-recovery.bin from now on' })
    .click();
  await expect(rules).toContainText('e pxelinux.cfg/default openwrt-recovery.bin');
  await expect(app.getByTestId('rule-count')).toHaveText('2 rules, first match first');
});

test('the mapping tester names the rule, the file, and refuses a rule that leaves the root', async ({
  app,
  tftp,
}, testInfo) => {
  await writeFile(join(tftp.root, 'u-boot.img'), 'u-boot\n');
  await app.getByRole('tab', { name: 'Requests' }).click();

  const rule = app.getByLabel('New rule');
  await rule.fill('r ^( z');
  await expect(app.getByTestId('tester-error')).toContainText('New rule: bad regular expression');
  await rule.fill('ri ^[0-9a-f]{8}\\.img$ u-boot.img');
  await app.getByLabel('Name as the device sends it').fill('C0A80102.img');
  await expect(app.getByTestId('tester-result')).toContainText(
    'u-boot.img (7 bytes), inside the served folder',
  );
  await app.getByRole('button', { name: 'Add rule' }).click();
  await expect(app.getByRole('list', { name: 'Mapping rules' })).toContainText(
    'ri ^[0-9a-f]{8}\\.img$ u-boot.img',
  );

  await rule.fill('e secret.txt ../../etc/passwd');
  await app.getByLabel('Name as the device sends it').fill('secret.txt');
  await expect(app.getByTestId('tester-result')).toContainText('Refused: parent directory segment (error 2)');
  await app.getByRole('button', { name: 'Add rule' }).click();
  await expect(app.getByTestId('rule-count')).toHaveText('2 rules, first match first');
  await app.getByRole('button', { name: 'Move rule 2 up' }).click();
  await expect(app.locator('[data-rule="0"]')).toContainText('e secret.txt');
  await app.getByRole('button', { name: 'Remove rule 1' }).click();
  await expect(app.getByTestId('rule-count')).toHaveText('1 rule, first match first');

  const got = await curlGet(tftp.port, 'C0A80102.img', testInfo.outputPath('u-boot.img'));
  expect(got.code, got.stderr).toBe(0);
});

test.describe('serve --ui --map FILE', () => {
  const mapDir = mkdtempSync(join(tmpdir(), 'tftp-desk-map-e2e-'));
  const mapFile = join(mapDir, 'rules.map');
  writeFileSync(mapFile, '# the recovery name\ne alias.bin real.bin\n');
  test.use({ serverArgs: ['--map', mapFile] });
  test.afterAll(() => rmSync(mapDir, { recursive: true, force: true }));

  test("the file's rules are the running server's and the page's", async ({ app, tftp }, testInfo) => {
    await writeFile(join(tftp.root, 'real.bin'), 'real bytes\n');
    const out = testInfo.outputPath('alias.bin');
    const got = await curlGet(tftp.port, 'alias.bin', out);
    expect(got.code, got.stderr).toBe(0);
    expect(await readFile(out, 'utf8')).toBe('real bytes\n');
    await app.getByRole('tab', { name: 'Requests' }).click();
    await expect(app.getByRole('list', { name: 'Mapping rules' })).toContainText('e alias.bin real.bin');
    await expect(app.locator('[data-request]').filter({ hasText: 'alias.bin' })).toContainText('→ real.bin');
  });
});
