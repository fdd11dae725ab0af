import { test, expect, Page } from '@playwright/test';
import { demo, demoWeek, signIn, watchForErrors } from './helpers';

// A worker asks for a day off on her phone; the manager, with the requests page and the calendar open,
// sees it arrive, approves it, and the draft on that day becomes a hard conflict — each screen live.
// The week is twelve weeks ahead, which no other test touches.
test.use({ viewport: { width: 1440, height: 900 } });

const WEEKS_AHEAD = 12;

/** `2026-03-12`: the Thursday of the week `WEEKS_AHEAD` weeks on. */
function thursday(): string {
  const day = new Date(`${demoWeek(WEEKS_AHEAD)}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 3);
  return day.toISOString().slice(0, 10);
}

async function calendarOfTheWeek(page: Page): Promise<{ url: string; location: string }> {
  const next = new URL((await page.getByRole('link', { name: 'Next week →' }).getAttribute('href'))!, 'http://x');
  const location = next.searchParams.get('location')!;
  return { url: `/?location=${location}&week=${demoWeek(WEEKS_AHEAD)}`, location };
}

test('a day off asked for on a phone reaches the manager live, and approving it marks the draft on it', async ({ page, browser }) => {
  const problems = watchForErrors(page);
  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const phone = await phoneContext.newPage();
  const phoneProblems = watchForErrors(phone);
  await signIn(phone, demo.worker, '/me');
  await phone.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await expect(phone.locator('.live[data-live="live"]')).toBeVisible();
  const ada = (await (await phone.request.get('/api/v1/me')).json()).worker_id as string;

  // The manager: a draft for Ada on that Thursday, the calendar of its week, and the requests page.
  await signIn(page, demo.manager);
  const { url, location } = await calendarOfTheWeek(page);
  const day = thursday();
  const start = new Date(`${day}T07:00:00+01:00`).toISOString();
  const end = new Date(`${day}T15:00:00+01:00`).toISOString();
  // The week has no schedule yet: a draft one, as drawing on the calendar would open.
  const weekStart = new Date(`${demoWeek(WEEKS_AHEAD)}T00:00:00+01:00`);
  const weekEnd = new Date(weekStart.getTime() + 7 * 24 * 3600_000);
  const schedule = await page.request.post('/api/v1/schedules', {
    data: { location_id: location, start: weekStart.toISOString(), end: weekEnd.toISOString() },
  });
  expect(schedule.status(), await schedule.text()).toBe(201);
  const draft = await page.request.post('/api/v1/shifts', { data: { worker_id: ada, location_id: location, start, end } });
  expect(draft.status(), await draft.text()).toBe(201);
  await page.goto(url);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await expect(page.locator('.live[data-live="live"]')).toBeVisible();
  const row = page.locator(`.board-row[data-worker-id="${ada}"]`);
  await expect(row.locator('.shift.draft')).toHaveCount(1);
  await expect(row.locator('.shift.conflict-hard')).toHaveCount(0);

  const requestsPage = await page.context().newPage();
  const requestProblems = watchForErrors(requestsPage);
  await requestsPage.goto('/requests');
  await requestsPage.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await expect(requestsPage.locator('.live[data-live="live"]')).toBeVisible();

  // Ada asks on her phone.
  const panel = phone.getByRole('region', { name: 'Time off' });
  await panel.getByLabel('Kind').selectOption('vacation');
  await panel.getByLabel('First day').fill(day);
  await panel.getByLabel('Last day').fill(day);
  await panel.getByLabel('Note for your manager').fill('Family visit');
  await panel.getByRole('button', { name: 'Ask for time off' }).click();
  await expect(panel.getByRole('status')).toContainText('Asked for vacation');
  const mine = panel.getByRole('list', { name: 'Your requests' }).locator('li').first();
  await expect(mine).toContainText('Waiting');
  await expect(mine).toContainText('Family visit');

  // It reaches the open requests page without a reload.
  const waiting = requestsPage.getByRole('listitem', { name: "Ada Albers's request" });
  await expect(waiting).toContainText('Vacation');
  await expect(waiting).toContainText('Family visit');
  await waiting.getByLabel('Note to Ada Albers').fill('Have a good trip');
  const decided = Date.now();
  await waiting.getByRole('button', { name: 'Approve' }).click();

  // Ada's phone shows the answer, live; the calendar shades the day and marks the draft on it.
  await expect(mine).toContainText('Approved', { timeout: 10_000 });
  const seen = Date.now() - decided;
  console.log(`decision to the worker's screen: ${seen} ms`);
  await expect(mine).toContainText('Have a good trip');
  await expect(phone.locator('.live-activity')).toContainText('approved your time off');
  await expect(row.locator('.away')).toHaveCount(1);
  await expect(row.locator('.away')).toContainText('Vacation');
  await expect(row.locator('.shift.conflict-hard')).toHaveCount(1);
  await expect(requestsPage.getByRole('listitem', { name: "Ada Albers's time off" })).toBeVisible();
  await expect(requestsPage.getByRole('listitem', { name: "Ada Albers's request" })).toHaveCount(0);

  // Publishing that week is refused while the draft stands on her time off.
  const board = await (await page.request.get(`/api/v1/attention-items?worker_id=${ada}`)).json();
  expect(board.map((item: { kind: string }) => item.kind)).toContain('on_time_off');

  // She withdraws it before it starts: the shading and the conflict go, on the manager's screens too.
  await mine.getByRole('button', { name: 'Withdraw' }).click();
  await expect(mine).toContainText('Withdrawn');
  await expect(row.locator('.away')).toHaveCount(0);
  await expect(row.locator('.shift.conflict-hard')).toHaveCount(0);
  await expect(requestsPage.getByRole('listitem', { name: "Ada Albers's time off" })).toHaveCount(0);

  // Nothing wider than the phone.
  const widths = await phone.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  expect(widths.page).toBeLessThanOrEqual(widths.screen);
  await phone.screenshot({ path: 'screenshots/time-off-phone.png', fullPage: true });
  await requestsPage.screenshot({ path: 'screenshots/requests-1440.png', fullPage: true });
  await phoneContext.close();
  expect([...problems, ...phoneProblems, ...requestProblems]).toEqual([]);
});

test('a worker cannot open the requests page, and bad input on the form is named', async ({ page }) => {
  const problems = watchForErrors(page);
  await signIn(page, demo.worker, '/me');
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  const panel = page.getByRole('region', { name: 'Time off' });
  const day = thursday();
  await panel.getByLabel('First day').fill(day);
  await panel.getByLabel('Only some hours of the day').check();
  await panel.getByLabel('From', { exact: true }).fill('13:00');
  await panel.getByLabel('To', { exact: true }).fill('09:00');
  await panel.getByRole('button', { name: 'Ask for time off' }).click();
  await expect(panel.getByRole('alert')).toContainText('to_time');
  await page.goto('/requests');
  await expect(page.getByRole('alert')).toContainText('may not');
  // The refusals the page shows are answered 422 and 403; nothing else may go wrong.
  expect(problems.filter((p) => !/status of (403|422)/.test(p))).toEqual([]);
});

test('a worker says when she cannot work, and the calendar greys those hours on her row', async ({ page, browser }) => {
  const problems = watchForErrors(page);
  await signIn(page, demo.worker, '/me');
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  const ada = (await (await page.request.get('/api/v1/me')).json()).worker_id as string;
  const panel = page.getByRole('region', { name: 'When you can work' });
  const monday = demoWeek(WEEKS_AHEAD);
  await panel.getByLabel('Thursday: availability').selectOption('unavailable');
  await panel.getByLabel('Thursday from').fill('06:00');
  await panel.getByLabel('Thursday to').fill('12:00');
  await panel.getByLabel('Saturday: availability').selectOption('preferred');
  await panel.getByLabel('In force from').fill(monday);
  await panel.getByRole('button', { name: 'Save availability' }).click();
  await expect(panel.getByRole('status')).toContainText('Saved: in force from');
  await expect(panel.getByLabel('Thursday: availability')).toHaveValue('unavailable');

  // A day she cannot come, on top of the pattern.
  await panel.getByLabel('A day you cannot come').fill(thursday());
  await panel.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(panel.getByRole('list', { name: 'Days you cannot come' }).locator('li')).toHaveCount(1);

  const managerContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const manager = await managerContext.newPage();
  await signIn(manager, demo.manager);
  const { url } = await calendarOfTheWeek(manager);
  await manager.goto(url);
  const row = manager.locator(`.board-row[data-worker-id="${ada}"]`);
  await expect(row.locator('.unavailable').first()).toBeVisible();
  await expect(row.locator('.preferred')).toHaveCount(1);
  await manager.screenshot({ path: 'screenshots/availability-week-1440.png' });
  await managerContext.close();

  // Back as it was, so later weeks are left alone: the day removed, every day available from the same day.
  await panel.getByRole('list', { name: 'Days you cannot come' }).getByRole('button', { name: 'Remove' }).click();
  await expect(panel.getByRole('list', { name: 'Days you cannot come' }).locator('li')).toHaveCount(0);
  await panel.getByLabel('Thursday: availability').selectOption('available');
  await panel.getByLabel('Saturday: availability').selectOption('available');
  await panel.getByLabel('In force from').fill(monday);
  await panel.getByRole('button', { name: 'Save availability' }).click();
  await expect(panel.getByRole('status')).toContainText('Saved');
  await page.screenshot({ path: 'screenshots/availability-1440.png', fullPage: true });
  expect(problems).toEqual([]);
});
