import { test, expect } from '@playwright/test';
import { demo, signIn, watchForErrors } from './helpers';

// A small phone: 360 CSS pixels wide, with touch and the mobile layout viewport.
test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 });

test('a worker signs in on a phone and sees their own timeline, with nothing wider than the screen', async ({ page }) => {
  const problems = watchForErrors(page);
  await signIn(page, demo.worker, '/me');
  await expect(page).toHaveURL(/\/me$/);
  const timeline = page.getByRole('region', { name: 'Your shifts' });
  await expect(timeline.getByRole('heading', { name: "Ada Albers's shifts" })).toBeVisible();
  await expect(timeline.locator('.this-week')).toContainText('This week:');
  // The demo publishes this week and next: Ada works the early rota, five days a week, at Berlin Mitte.
  const cards = timeline.locator('article.shift-card');
  expect(await cards.count()).toBeGreaterThanOrEqual(5);
  const first = cards.first();
  await expect(first.locator('.when')).toHaveText('07:00–15:00');
  await expect(first.locator('.where')).toHaveText('Berlin Mitte · Europe/Berlin');
  await expect(first.locator('.breaks')).toContainText('Break 11:00–11:30');
  await expect(first.locator('.with')).toContainText('With ');
  await expect(first.locator('.hours')).toHaveText('8.0 h · breaks 0.5 h · paid 7.5 h');
  await expect(timeline.getByRole('region', { name: 'Past weeks' }).locator('tbody tr')).toHaveCount(4);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });

  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  expect(widths.page).toBeLessThanOrEqual(widths.screen);
  // A worker has no week calendar: the scheduler's page sends them back to their own.
  await page.goto('/');
  await expect(page).toHaveURL(/\/me$/);
  expect(problems).toEqual([]);
});

test("a manager's change to a published shift reaches the open timeline and stays marked", async ({ page, browser }) => {
  const problems = watchForErrors(page);
  await signIn(page, demo.worker, '/me');
  const card = page.locator('article.shift-card').first();
  await expect(card).toBeVisible();
  await expect(page.locator('.changed-badge')).toHaveCount(0);
  await expect(page.locator('.live[data-live="live"]')).toBeVisible();
  const shiftId = await card.getAttribute('data-shift-id');

  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await signIn(manager, demo.manager);
  const shift = await (await manager.request.get(`/api/v1/shifts/${shiftId}`)).json();
  const later = (iso: string) => new Date(new Date(iso).getTime() + 3600_000).toISOString();
  const moved = await manager.request.patch(`/api/v1/shifts/${shiftId}`, {
    data: { expected_version: shift.version, start: later(shift.during.start), end: later(shift.during.end) },
  });
  expect(moved.status()).toBe(200);
  await managerContext.close();

  // While the page is open: the shift's new times, marked, and who changed it.
  const changed = page.locator(`article.shift-card[data-shift-id="${shiftId}"]`);
  await expect(changed.locator('.when')).toHaveText('08:00–16:00');
  await expect(changed.locator('.changed-badge')).toHaveText('Changed');
  await expect(page.locator('.live-activity')).toContainText('changed one of your shifts');
  // Still marked on the next visit, which counts as looking...
  await page.reload();
  await expect(changed.locator('.changed-badge')).toHaveText('Changed');
  await expect(page.getByRole('status').filter({ hasText: 'since you last looked' })).toContainText('1 shift changed since you last looked.');
  // ...so the visit after that marks nothing new.
  await page.reload();
  await expect(page.locator('.changed-badge')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('a worker makes a calendar link and the feed holds their shifts', async ({ page }) => {
  const problems = watchForErrors(page);
  await signIn(page, demo.worker, '/account');
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Make a new calendar link' }).click();
  const url = await page.locator('input.calendar-url').inputValue();
  expect(url).toMatch(/\/calendar\/mosaic_cal_[A-Za-z0-9_-]{43}\.ics$/);
  const feed = await page.request.get(url);
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toContain('text/calendar');
  const text = await feed.text();
  expect(text).toContain('BEGIN:VCALENDAR');
  expect((text.match(/BEGIN:VEVENT/g) ?? []).length).toBeGreaterThanOrEqual(10);
  expect(problems).toEqual([]);
});
