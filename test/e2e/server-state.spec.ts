import { test, expect } from './helpers/fixtures';

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

test('reconnects after a reload and shows the same state', async ({ app, tftp }) => {
  await app.reload();
  await expect(app.getByTestId('server-state')).toContainText(`Listening on 127.0.0.1:${tftp.port}`);
});
