import { defineConfig } from '@playwright/test';

// Debian's chromium (no browser download); HEADFUL=1 under xvfb-run for a visible run.
const headful = process.env.HEADFUL !== undefined;
const flags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export default defineConfig({
  testDir: 'test/e2e',
  workers: 1,
  fullyParallel: false,
  reporter: process.env.CI !== undefined ? 'list' : [['list']],
  timeout: 90_000,
  expect: { timeout: 15_000 },
  outputDir: 'test-results',
  use: {
    headless: !headful,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: headful ? flags : ['--headless', ...flags],
    },
    trace: 'retain-on-failure',
  },
});
