import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// Measurements, not tests (scripts/measure-calendar.sh, scripts/measure-live.sh): they live apart from
// the suite and print their figures.
const port = Number(process.env.MEASURE_PORT ?? 3200);
// The suite starts two servers (the demo's and an empty install's); a measurement needs the first alone.
const server = [base.webServer].flat()[0]!;

export default defineConfig({
  ...base,
  testDir: './measure',
  timeout: 300_000,
  use: { ...base.use, baseURL: `http://127.0.0.1:${port}` },
  webServer: {
    ...server,
    url: `http://127.0.0.1:${port}/api/v1/health`,
    env: {
      DATABASE_URL: process.env.MEASURE_DATABASE_URL ?? '',
      MOSAIC_ADDR: `127.0.0.1:${port}`,
      MOSAIC_DEMO: process.env.MEASURE_DEMO ?? '0',
      RUST_LOG: 'warn',
    },
  },
});
