import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { demo, signIn, watchForErrors } from './helpers';

// While a writer of the change log keeps a transaction open (as a long import would), changes committed
// after it wait, and every open page says "Delayed" instead of "Live" until it ends.
test('the live badge says Delayed while a long writer holds the feed back, then Live again', async ({ page, browser }) => {
  const problems = watchForErrors(page);
  await signIn(page, demo.worker, '/me');
  await expect(page.locator('.live[data-live="live"]')).toBeVisible();

  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error('E2E_DATABASE_URL is set by scripts/test.sh');
  const writer = spawn('psql', [url, '-q', '-c', 'BEGIN', '-c', 'SELECT changes_begin_writing()',
    '-c', 'SELECT pg_current_xact_id()', '-c', 'SELECT pg_sleep(10)', '-c', 'ROLLBACK'], { stdio: 'ignore' });
  const ended = new Promise((resolve) => writer.on('exit', resolve));
  // Let the writer take its transaction id before the change is made.
  await page.waitForTimeout(1000);

  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, demo.admin);
  const made = await admin.request.post('/api/v1/workers', { data: { name: 'Feed Delay Check' } });
  expect(made.status()).toBe(201);

  const badge = page.locator('.live');
  await expect(badge).toHaveAttribute('data-live', 'delayed', { timeout: 6_000 });
  await expect(badge).toContainText('Delayed');
  await ended;
  await expect(badge).toHaveAttribute('data-live', 'live', { timeout: 6_000 });
  await expect(badge).toContainText('Live');
  expect(problems).toEqual([]);
});
