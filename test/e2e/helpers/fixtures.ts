// A fresh tftp-desk process per test, and a page already signed in with its token.
import { test as base, expect, type Page } from '@playwright/test';
import { startTftpDesk, type RunningServer } from './tftp-desk';

interface Fixtures {
  serverArgs: string[];
  serverEnv: Record<string, string>;
  tftp: RunningServer;
  app: Page;
}

export const test = base.extend<Fixtures>({
  serverArgs: [[], { option: true }],
  serverEnv: [{}, { option: true }],
  tftp: async ({ serverArgs, serverEnv }, provide, testInfo) => {
    const server = await startTftpDesk({ args: serverArgs, env: serverEnv });
    await provide(server);
    await server.stop();
    if (testInfo.status !== testInfo.expectedStatus)
      await testInfo.attach('tftp-desk output', { body: server.output() });
  },
  app: async ({ page, tftp }, provide) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(tftp.url);
    await expect(page.getByTestId('server-state')).toContainText(`Listening on 127.0.0.1:${tftp.port}`);
    await provide(page);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };

/** The screenshots for the README. */
export const SCREENSHOTS = new URL('../../../docs/screenshots/', import.meta.url).pathname;
