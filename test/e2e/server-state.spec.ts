import { test, expect } from './helpers/fixtures';
import { withPortTaken } from './helpers/tftp-desk';

test('shows the server state and port, and stops and starts it', async ({ app, tftp }) => {
  const state = app.getByTestId('server-state');
  await expect(state).toContainText(`Listening on 127.0.0.1:${tftp.port}`);
  await expect(app.getByLabel('UDP port')).toHaveValue(String(tftp.port));
  await expect(app.getByTestId('root-path')).toHaveText(tftp.root);

  await app.getByRole('button', { name: 'Stop' }).click();
  await expect(state).toHaveText('Stopped');
  await expect(app.getByLabel('UDP port')).toBeEnabled();

  await app.getByRole('button', { name: 'Start' }).click();
  await expect(state).toContainText(`Listening on 127.0.0.1:${tftp.port}`);
});

test('a reload shows the same state from a fresh snapshot', async ({ app, tftp }) => {
  await app.reload();
  await expect(app.getByTestId('server-state')).toContainText(`Listening on 127.0.0.1:${tftp.port}`);
});

test('says so when the server goes away', async ({ app, tftp }) => {
  await tftp.stop();
  await expect(app.getByText('Connection lost, reconnecting…')).toBeVisible();
  await expect(app.getByRole('button', { name: 'Stop' })).toBeVisible(); // the last known state stays on screen
});

test('a port in use shows the error and its hint', async ({ app }) => {
  await withPortTaken(app, async (port) => {
    const state = app.getByTestId('server-state');
    await expect(state).toContainText('Error');
    await expect(state).toContainText(String(port));
    await expect(state.locator('.state-hint')).not.toBeEmpty();
  });
});

test('works from the keyboard alone', async ({ app }) => {
  const stop = app.getByRole('button', { name: 'Stop' });
  for (let i = 0; i < 10 && !(await stop.evaluate((el) => el === document.activeElement)); i++) {
    await app.keyboard.press('Tab');
  }
  await expect(stop).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('server-state')).toHaveText('Stopped');

  await app.getByRole('tab', { name: 'Transfers' }).focus();
  await app.keyboard.press('ArrowRight');
  await expect(app.getByRole('tab', { name: 'Requests' })).toBeFocused();
  await expect(app.getByRole('tab', { name: 'Requests' })).toHaveAttribute('aria-selected', 'true');
  await app.keyboard.press('End');
  await expect(app.getByRole('tab', { name: 'Settings' })).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByRole('button', { name: 'Save settings' })).toBeVisible();
});
