import { test, expect, Page } from '@playwright/test';
import { demo, demoWeek, signIn, watchForErrors } from './helpers';

// The manager offers two places on the calendar of a week four weeks ahead (which no other test
// touches) and publishes it; Ada, on her phone, sees the open shift arrive and claims it; the manager
// approves the claim on the requests page; her phone, the requests page and the calendar follow live.
test.use({ viewport: { width: 1440, height: 900 } });

const WEEKS_AHEAD = 4;

async function calendarOfTheWeek(page: Page): Promise<{ url: string; location: string }> {
  const next = new URL((await page.getByRole('link', { name: 'Next week →' }).getAttribute('href'))!, 'http://x');
  const location = next.searchParams.get('location')!;
  return { url: `/?location=${location}&week=${demoWeek(WEEKS_AHEAD)}`, location };
}

async function live(page: Page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await expect(page.locator('.live[data-live="live"]')).toBeVisible();
}

test('an open shift offered on the calendar is claimed on a phone and approved, each screen following live', async ({ page, browser }) => {
  const problems = watchForErrors(page);
  await signIn(page, demo.manager);
  const { url, location } = await calendarOfTheWeek(page);
  await page.goto(url);
  await live(page);

  // Two places on the Wednesday, from the form below the calendar: the week has no schedule yet, so
  // they wait as a draft until it is published.
  const panel = page.getByRole('region', { name: /Open shifts at .* this week/ });
  await expect(panel.getByText('No open shifts this week.')).toBeVisible();
  const form = panel.getByRole('form', { name: 'Offer an open shift' });
  const wednesday = new Date(`${demoWeek(WEEKS_AHEAD)}T12:00:00Z`);
  wednesday.setUTCDate(wednesday.getUTCDate() + 2);
  await form.locator('select[name="day"]').selectOption(wednesday.toISOString().slice(0, 10));
  await form.getByLabel('From', { exact: true }).fill('09:00');
  await form.getByLabel('To', { exact: true }).fill('17:00');
  await form.locator('input[name="places"]').fill('2');
  await form.getByRole('button', { name: 'Offer' }).click();
  await expect(form.getByRole('status')).toContainText('Offered 2 places');
  const offered = panel.getByRole('listitem', { name: /^Open shift / });
  await expect(offered).toContainText('Draft · 2 places');

  // Ada's phone, on /me.
  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const phone = await phoneContext.newPage();
  const phoneProblems = watchForErrors(phone);
  await signIn(phone, demo.worker, '/me');
  await live(phone);
  const mine = phone.getByRole('region', { name: 'Open shifts you can take' });
  await expect(mine.getByText('No open shift you could take right now.')).toBeVisible();

  // The manager publishes the week: the open shift is offered, and reaches her phone without a reload.
  const schedules = await (await page.request.get(`/api/v1/schedules?location_id=${location}`)).json();
  const week = schedules.find((s: { period: { start: string } }) => s.period.start.slice(0, 10) <= demoWeek(WEEKS_AHEAD)
    && new Date(s.period.start) >= new Date(`${demoWeek(WEEKS_AHEAD - 1)}T12:00:00Z`));
  expect(week, JSON.stringify(schedules)).toBeTruthy();
  const published = await page.request.post(`/api/v1/schedules/${week.id}/publish`, { data: { expected_version: week.version } });
  expect(published.status(), await published.text()).toBe(200);
  await expect(offered).toContainText('2 places');
  await expect(offered).not.toContainText('Draft');
  const card = mine.getByRole('listitem', { name: /^Open shift / });
  await expect(card).toHaveCount(1, { timeout: 10_000 });
  await expect(card).toContainText('09:00–17:00');
  await expect(phone.locator('.live-activity')).toContainText('offered an open shift');

  // The requests page, open in another tab of the manager's.
  const requestsPage = await page.context().newPage();
  const requestProblems = watchForErrors(requestsPage);
  await requestsPage.goto('/requests');
  await live(requestsPage);

  // She claims it; the claim reaches the requests page and the calendar's list live.
  await card.getByRole('button', { name: 'Claim' }).click();
  await expect(mine.getByRole('status')).toContainText('Claimed');
  await expect(card).toContainText('waiting for your manager');
  const claim = requestsPage.getByRole('listitem', { name: "Ada Albers's claim" });
  await expect(claim).toBeVisible();
  await expect(offered).toContainText('Ada Albers (waiting)');

  const decided = Date.now();
  await claim.getByRole('button', { name: 'Approve' }).click();
  // Her phone: the shift is hers, the offer gone; the calendar shows her published shift and one place left.
  await expect(mine.locator('.claims')).toContainText('Yours', { timeout: 10_000 });
  console.log(`claim approved to the worker's screen: ${Date.now() - decided} ms`);
  await expect(card).toHaveCount(0);
  await expect(phone.locator('.live-activity')).toContainText('gave you an open shift');
  await expect(requestsPage.getByRole('listitem', { name: "Ada Albers's claim" })).toHaveCount(0);
  await expect(offered).toContainText('1 of 2 places left');
  await expect(offered).toContainText('Ada Albers (has a place)');
  const ada = (await (await phone.request.get('/api/v1/me')).json()).worker_id as string;
  await expect(page.locator(`.board-row[data-worker-id="${ada}"] .shift`)).toHaveCount(1);

  const widths = await phone.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  expect(widths.page).toBeLessThanOrEqual(widths.screen);
  await mine.screenshot({ path: 'screenshots/open-shifts-phone.png' });
  await panel.screenshot({ path: 'screenshots/open-shifts-week-1440.png' });

  // The place left is withdrawn: the list says so, and nothing more is offered to anyone.
  await offered.getByRole('button', { name: 'Withdraw open places' }).click();
  await expect(offered).toContainText('Every place taken');
  await requestsPage.screenshot({ path: 'screenshots/requests-claims-1440.png', fullPage: true });
  await phoneContext.close();
  expect([...problems, ...phoneProblems, ...requestProblems]).toEqual([]);
});
