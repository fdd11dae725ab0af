import { defineConfig } from '@playwright/test';

// Runs the release build (target/release/server, built by `cargo leptos build --release`) against a
// fresh database, and drives Debian's Chromium headless: Playwright's own browser download cannot
// reach this network.
const port = Number(process.env.E2E_PORT ?? 3100);
// A second server on an empty database without the demo, for the first run of a new install
// (tests/first-run.spec.ts reaches it at helpers.emptyServer).
const emptyPort = port + 1;
process.env.E2E_EMPTY_PORT = String(emptyPort);

// The day the demo is planned around, fixed once for the run and inherited by the test workers
// (helpers.demoWeek): a run that crosses midnight in Berlin still finds the weeks the demo planned.
process.env.MOSAIC_DEMO_TODAY ??= new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: [
    {
      command: './target/release/server',
      cwd: '..',
      url: `http://127.0.0.1:${port}/api/v1/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      env: {
        DATABASE_URL: process.env.E2E_DATABASE_URL ?? '',
        MOSAIC_APP_DATABASE_URL: process.env.E2E_APP_DATABASE_URL ?? '',
        MOSAIC_ADDR: `127.0.0.1:${port}`,
        MOSAIC_DEMO_TODAY: process.env.MOSAIC_DEMO_TODAY,
        RUST_LOG: 'info,tower_http=warn',
      },
    },
    {
      command: './target/release/server',
      cwd: '..',
      url: `http://127.0.0.1:${emptyPort}/api/v1/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      env: {
        DATABASE_URL: process.env.E2E_EMPTY_DATABASE_URL ?? '',
        MOSAIC_APP_DATABASE_URL: process.env.E2E_EMPTY_APP_DATABASE_URL ?? '',
        MOSAIC_ADDR: `127.0.0.1:${emptyPort}`,
        MOSAIC_DEMO: '0',
        RUST_LOG: 'info,tower_http=warn',
      },
    },
  ],
});
