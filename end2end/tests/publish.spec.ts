import { test, expect, Page, Locator } from '@playwright/test';
import { demo, demoWeek, signIn, watchForErrors, weekAxis } from './helpers';

// A manager publishes a week from the calendar while the worker it concerns has her timeline open on
// her phone. The week is eight weeks ahead, which no other test touches.
test.use({ viewport: { width: 1600, height: 1000 } });

async function weekAhead(page: Page, weeks: number): Promise<string> {
  const next = new URL((await page.getByRole('link', { name: 'Next week →' }).getAttribute('href'))!, 'http://x');
  return `/?location=${next.searchParams.get('location')}&week=${demoWeek(weeks)}`;
}

async function draw(page: Page, row: Locator, day: number, from: number, hours: number) {
  const track = (await row.locator('.track').boundingBox())!;
  const { hour: HOUR, day: DAY } = await weekAxis(page);
  await page.mouse.move(track.x + day * DAY + from * HOUR, track.y + track.height / 2);
  await page.mouse.down();
  await page.mouse.move(track.x + day * DAY + (from + hours) * HOUR, track.y + track.height / 2, { steps: 10 });
  await page.mouse.up();
}

test('publishing is refused while a hard conflict remains, then makes every draft active and tells the worker', async ({ page, browser }) => {
  const problems = watchForErrors(page);
  const phone = await (await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true })).newPage();
  await signIn(phone, demo.worker, '/me');
  await expect(phone.locator('.live[data-live="live"]')).toBeVisible();

  await signIn(page, demo.manager);
  await page.goto(await weekAhead(page, 8));
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await expect(page.locator('.live[data-live="live"]')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Publish / })).toHaveCount(0);
  const ada = page.locator('.board-row', { has: page.locator('.name', { hasText: 'Ada Albers' }) });

  // Two drafts for Ada, the second dragged onto the first: a double booking.
  await draw(page, ada, 1, 9, 8);
  await expect(ada.locator('.shift')).toHaveCount(1);
  await draw(page, ada, 2, 9, 8);
  await expect(ada.locator('.shift')).toHaveCount(2);
  const second = ada.locator('.shift').nth(1);
  const secondId = (await second.getAttribute('data-shift-id'))!;
  const box = (await second.boundingBox())!;
  const { day: DAY } = await weekAxis(page);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - DAY, box.y + box.height / 2, { steps: 10 });
  await page.mouse.up();
  await expect(ada.locator('.shift.conflict-hard')).toHaveCount(2);

  // Drawing opened the week's draft schedule: its Publish button came with it.
  const publish = page.getByRole('button', { name: /^Publish / });
  await publish.click();
  const blocked = page.locator('.publish-blocked');
  await expect(blocked).toContainText('Not published');
  await expect(blocked.locator('li')).toContainText(['Ada Albers: ']);
  await expect(ada.locator('.shift.draft')).toHaveCount(2);

  // The manager cancels the second; its block goes, and the week publishes.
  const current = await (await page.request.get(`/api/v1/shifts/${secondId}`)).json();
  const cancelled = await page.request.post(`/api/v1/shifts/${secondId}/cancel`, { data: { expected_version: current.version } });
  expect(cancelled.status()).toBe(200);
  await expect(ada.locator('.shift')).toHaveCount(1);
  await publish.click();
  await expect(page.locator('.publishing .notice.saved')).toContainText('Published');
  await expect(ada.locator('.shift.active')).toHaveCount(1);
  await expect(page.getByRole('button', { name: /^Publish / })).toHaveCount(0);

  // Ada's phone says so, live.
  await expect(phone.locator('.published-note')).toContainText('published your schedule');
  expect(problems).toEqual([]);
});

// A draft week nobody will publish is withdrawn from the calendar, after a second press. Fourteen weeks
// ahead, which no other test touches.
test('a manager withdraws an abandoned draft week: its draft shifts are cancelled', async ({ page }) => {
  const problems = watchForErrors(page);
  await signIn(page, demo.manager);
  await page.goto(await weekAhead(page, 14));
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await expect(page.locator('.live[data-live="live"]')).toBeVisible();
  const ada = page.locator('.board-row', { has: page.locator('.name', { hasText: 'Ada Albers' }) });
  await draw(page, ada, 1, 9, 8);
  await expect(ada.locator('.shift.draft')).toHaveCount(1);

  await page.getByRole('button', { name: 'Withdraw draft' }).click();
  const confirm = page.getByRole('group', { name: 'Withdraw this draft?' });
  await expect(confirm).toContainText('Cancel every draft shift of this week?');
  await confirm.getByRole('button', { name: 'Yes, withdraw the draft' }).click();
  await expect(page.locator('.publishing .notice.saved')).toContainText('Withdrew the draft for');
  await expect(ada.locator('.shift')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Publish / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Withdraw draft' })).toHaveCount(0);
  expect(problems).toEqual([]);
});
