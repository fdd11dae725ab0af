import { test, expect, Page } from '@playwright/test';
import { berlinClock, demo, demoWeek, signIn, watchForErrors } from './helpers';

// Time travel, on a shift this test plans in a week ten weeks ahead (other specs use weeks 8 and 9).
test.use({ viewport: { width: 1400, height: 1000 } });

async function hydrated(page: Page, url: string) {
  await page.goto(url);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
}

test('the week as it stood at an earlier change, and what changed since, with who changed it', async ({ page, browser }) => {
  const problems = watchForErrors(page);
  await signIn(page, demo.manager);
  const next = new URL((await page.getByRole('link', { name: 'Next week →' }).getAttribute('href'))!, 'http://x');
  const location = next.searchParams.get('location')!;
  const week = demoWeek(10);
  const monday = new Date(`${week}T00:00:00Z`);

  await hydrated(page, `/?location=${location}&week=${week}`);
  const worker = (await page.locator('.board-row').first().getAttribute('data-worker-id'))!;
  const start = new Date(monday.getTime() + (24 + 7) * 3600_000);
  const end = new Date(start.getTime() + 8 * 3600_000);
  const drawn = await page.request.post('/rpc/create_drawn_shift', {
    data: { drawn: { worker_id: worker, location_id: location, start: start.toISOString(), end: end.toISOString() } },
  });
  const shift = (await drawn.json()).Saved as { id: string; version: number };
  expect(shift, 'the draft was saved').toBeTruthy();

  // The history opens at now: the shift is there, and the slider sits at the latest change.
  await hydrated(page, `/history?location=${location}&week=${week}`);
  const showing = page.locator('.moment-picker[data-field="at"]');
  const slider = showing.getByLabel('Showing: position in the change log');
  const planned = await slider.inputValue();
  const block = page.locator(`.history-row .shift:not(.was)[data-shift-id="${shift.id}"]`);
  await expect(block.locator('.times')).toHaveText(`${berlinClock(start)}–${berlinClock(end)}`);

  // The scheduler moves it two hours later, in her own session.
  const other = await browser.newContext();
  const scheduler = await other.newPage();
  await signIn(scheduler, demo.scheduler);
  const later = (t: Date) => new Date(t.getTime() + 2 * 3600_000);
  const moved = await scheduler.request.patch(`/api/v1/shifts/${shift.id}`, {
    data: { expected_version: shift.version, start: later(start).toISOString(), end: later(end).toISOString() },
  });
  expect(moved.status()).toBe(200);
  await other.close();

  // Now: moved. One change earlier: where it was planned.
  await hydrated(page, `/history?location=${location}&week=${week}`);
  await expect(block.locator('.times')).toHaveText(`${berlinClock(later(start))}–${berlinClock(later(end))}`);
  await showing.getByRole('link', { name: '← Earlier change' }).click();
  await expect(page).toHaveURL(new RegExp(`at=${planned}`));
  await expect(block.locator('.times')).toHaveText(`${berlinClock(start)}–${berlinClock(end)}`);
  await expect(showing.locator('.moment-description')).toContainText(`After change #${planned}`);

  // That moment becomes the one compared with; back to now, the move is highlighted and listed.
  await page.locator('.moment-picker[data-field="since"]').getByRole('link', { name: 'Compare with the moment shown' }).click();
  await expect(page).toHaveURL(new RegExp(`since=${planned}`));
  await showing.getByRole('link', { name: 'Now' }).click();
  await expect(page.locator(`.history-row .shift.moved:not(.was)[data-shift-id="${shift.id}"]`)).toBeVisible();
  await expect(page.locator(`.history-row .shift.was[data-shift-id="${shift.id}"]`)).toBeVisible();
  const difference = page.locator(`.difference[data-shift-id="${shift.id}"]`);
  await expect(difference).toContainText('Moved');
  await expect(difference).toContainText('by Sam Scheduler (shift.moved)');
  await expect(page.locator('.differences h2')).toContainText(`between change #${planned} and change #`);

  // The slider picks any moment: back to the one planned, nothing differs.
  await slider.fill(planned);
  await expect(page).toHaveURL(new RegExp(`[?&]at=${planned}`));
  await expect(page.locator('.differences')).toContainText('No shift of this week differs between the two moments.');

  // A date and time long before anything was recorded: an empty week.
  await showing.getByLabel('Showing: date and time').fill('2001-01-01T09:00:00');
  await expect(page).toHaveURL(/at_time=2001-01-01T09:00/);
  await expect(showing.locator('.moment-description')).toHaveText('Before the first change: nothing was planned yet.');
  await expect(block).toHaveCount(0);
  await expect(page.locator(`.difference[data-shift-id="${shift.id}"]`)).toContainText('Removed');

  expect(problems).toEqual([]);
});
