import { test, expect } from '@playwright/test';
import { demo, demoWeek, signIn, watchForErrors } from './helpers';

test.beforeEach(async ({ page }) => {
  await signIn(page, demo.manager);
});

test('the week calendar is server-rendered, then hydrates with no page errors', async ({ page }) => {
  const problems = watchForErrors(page);
  await page.goto('/');
  // Server-rendered: the grid and the demo staff are in the first response.
  await expect(page.locator('.board-body')).toBeVisible();
  // Rows fill the first screen and a margin beyond it; the rest render as the board scrolls.
  expect(await page.locator('.board-row').count()).toBeGreaterThanOrEqual(15);
  await expect(page.locator('select[name="location"] option')).toHaveCount(3);

  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });

  // Once hydrated, the router follows links in the page without reloading it.
  await page.evaluate(() => ((window as any).__sameDocument = true));
  await page.getByRole('link', { name: 'Next week →' }).click();
  await expect(page).toHaveURL(/week=/);
  await expect(page.locator('.week-title')).toBeVisible();
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);

  expect(problems).toEqual([]);
});

test("the draft week after next shows the demo's deliberate conflicts, marked on the shifts", async ({ page }) => {
  const problems = watchForErrors(page);
  await page.goto(`/?week=${demoWeek(0)}`);
  await page.getByRole('link', { name: 'Next week →' }).click();
  await expect(page.locator('.shift.active').first()).toBeVisible();
  await page.getByRole('link', { name: 'Next week →' }).click();
  await expect(page.locator('.shift.draft').first()).toBeVisible();
  await expect(page.locator('.shift.conflict-hard')).toHaveCount(2);
  const board = page.getByRole('region', { name: 'Open conflicts' });
  await expect(board).toContainText('two shifts at the same time');
  await expect(board).toContainText('of rest between shifts');
  await expect(board).toContainText('needs 30 min of break');
  expect(problems).toEqual([]);
});

test('another location shows its own week in its own time zone', async ({ page }) => {
  const problems = watchForErrors(page);
  await page.goto(`/?week=${demoWeek(0)}`);
  await page.locator('select[name="location"]').selectOption({ label: 'New York SoHo (America/New_York)' });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.locator('.board-head .row-head')).toContainText('New York SoHo · America/New_York');
  // The demo plans early shifts at 07:00 local time, whatever the zone.
  await expect(page.locator('.shift .times', { hasText: '07:00–15:00' }).first()).toBeVisible();
  expect(problems).toEqual([]);
});
