import { test, expect } from '@playwright/test';
import { demo, demoWeek, signIn, watchForErrors, weekAxis } from './helpers';

// The week's labor cost under the calendar moves with a shift while it is being drawn, before the
// server has it, and stays once it is saved. In a week eleven weeks ahead that no other test plans.
test.use({ viewport: { width: 1600, height: 1000 } });

const ROW = 48; // a row with one lane

test('drawing a shift shows what it costs before the drop, and the week keeps it', async ({ page }) => {
  const problems = watchForErrors(page);
  await signIn(page, demo.manager);
  await page.goto(`/?week=${demoWeek(11)}`);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  const cost = page.getByRole('region', { name: 'Labor cost' });
  const planned = cost.locator('tr.planned');
  await expect(planned.locator('td.week')).toHaveText('0.00 EUR');

  // Ada Albers (first by name at Berlin Mitte) earns 14.50 an hour: Tuesday 09:00–17:00 is 116.00.
  const first = page.locator('.board-row').first();
  await expect(first.locator('.name')).toHaveText('Ada Albers');
  const track = (await first.locator('.track').boundingBox())!;
  const { hour: HOUR, day: DAY } = await weekAxis(page);
  await page.mouse.move(track.x + DAY + 9 * HOUR, track.y + ROW / 2);
  await page.mouse.down();
  await page.mouse.move(track.x + DAY + 17 * HOUR, track.y + ROW / 2, { steps: 12 });
  await expect(planned.locator('td.week .delta')).toHaveText(/\(\+116\.00\)/);
  await expect(planned.locator('td').nth(1).locator('.delta')).toHaveText(/\(\+116\.00\)/);
  await expect(page.getByTestId('drag-tip')).toContainText("Week's labor cost +116.00");
  await page.mouse.up();
  await expect(page.locator('.notice.saved')).toBeVisible();
  await expect(planned.locator('td.week')).toHaveText('116.00 EUR');
  await expect(planned.locator('.delta')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('a scheduler plans without seeing pay', async ({ page }) => {
  await signIn(page, demo.scheduler);
  await page.goto(`/?week=${demoWeek(1)}`);
  await expect(page.locator('.board-row').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Labor cost' })).toHaveCount(0);
});
