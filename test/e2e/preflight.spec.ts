// The pre-flight panel in the browser UI against a real `tftp-desk serve --ui`: a recipe's address
// that this machine lacks (with the command to add it), a test request the running server answers,
// and, after a failed Start, the port's holder named with its pid.
import { test, expect } from './helpers/fixtures';
import { withPortTaken } from './helpers/tftp-desk';

test('a recipe address this machine lacks gets the command that adds it', async ({ app }) => {
  await app.getByRole('button', { name: 'Check reachability' }).click();
  const panel = app.getByRole('region', { name: 'Can the device reach us?' });
  await expect(panel.getByLabel('Recovery recipe')).toBeFocused();
  await panel.getByLabel('Recovery recipe').selectOption('tp-link');
  await expect(panel.getByTestId('preflight-recipe-source')).toContainText('192.168.0.66');
  await expect(panel.getByLabel('Server address the device expects')).toHaveValue('192.168.0.66');
  await panel.getByLabel('Interface the device is cabled to').selectOption('lo');
  await panel.getByRole('button', { name: 'Check reachability' }).click();

  const address = panel.getByTestId('preflight-address');
  await expect(address).toContainText('Problem');
  await expect(address).toContainText('No interface of this machine has 192.168.0.66');
  if (process.platform === 'linux')
    await expect(address.locator('code')).toHaveText('sudo ip addr add 192.168.0.66/24 dev lo');
  await expect(panel.getByTestId('preflight-verdict')).toContainText('found');
  await expect(panel.getByTestId('preflight-allow-list')).toContainText('192.168.0.86');
});

test('the running server answers the test request through 127.0.0.1', async ({ app, tftp }) => {
  await app.getByRole('button', { name: 'Check reachability' }).click();
  const panel = app.getByRole('region', { name: 'Can the device reach us?' });
  await panel.getByLabel('Server address the device expects').fill('127.0.0.1');
  await panel.getByRole('button', { name: 'Check reachability' }).click();
  await expect(panel.getByTestId('preflight-self-request')).toContainText(
    `The server answered a test request sent to 127.0.0.1:${tftp.port}`,
  );
  await expect(panel.getByTestId('preflight-address')).toContainText('OK');
  await expect(panel.getByTestId('preflight-firewall')).toBeVisible();
  await panel.getByRole('button', { name: 'Close' }).click();
  await expect(panel).toBeHidden();
});

test('a failed Start offers the check, which names who holds the port', async ({ app }) => {
  await withPortTaken(app, async () => {
    const state = app.getByTestId('server-state');
    await expect(state).toContainText('Error');
    await state.getByRole('button', { name: 'Check reachability' }).click();
    const panel = app.getByRole('region', { name: 'Can the device reach us?' });
    await panel.getByRole('button', { name: 'Check reachability' }).click();
    const holder = panel.getByTestId('preflight-port-holder');
    await expect(holder).toContainText('Problem');
    if (process.platform === 'linux' && process.getuid?.() === 0)
      await expect(holder).toContainText(`(pid ${process.pid}) on 127.0.0.1`);
  });
});
