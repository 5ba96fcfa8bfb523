import { defineConfig } from '@playwright/test';

// Three projects. `browser`: the browser UI in Debian's chromium (no browser download); HEADFUL=1
// under xvfb-run for a visible run. `electron`: the built desktop app in a real Electron, and
// `electron-packaged`: the app electron-builder packed; both skip, saying why, where there is no
// Electron binary or no package (CI on Windows, macOS and Linux runs them: .github/workflows/ci.yml).
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
  workers: 1,
  fullyParallel: false,
  reporter: process.env.CI !== undefined ? 'list' : [['list']],
  timeout: 90_000,
  expect: { timeout: 15_000 },
  outputDir: 'test-results',
  use: { trace: 'retain-on-failure' },
  projects: [
    {
      name: 'browser',
      testDir: 'test/e2e',
      use: {
        headless: !headful,
        viewport: { width: 1440, height: 900 },
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: headful ? flags : ['--headless', ...flags],
        },
      },
    },
    { name: 'electron', testDir: 'test/electron', testMatch: 'app.spec.ts' },
    { name: 'electron-packaged', testDir: 'test/electron', testMatch: 'packaged.spec.ts', timeout: 180_000 },
  ],
});
