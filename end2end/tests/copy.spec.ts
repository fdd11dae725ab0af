import { test, expect } from '@playwright/test';
import { demo, demoWeek, signIn, watchForErrors } from './helpers';

test('a scheduler copies the previous week into an empty week, and the drafts are in the database', async ({ page }) => {
  const problems = watchForErrors(page);
  await signIn(page, demo.scheduler);
  await page.goto(`/?week=${demoWeek(0)}`);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  // The demo plans up to the week after next; the week after that is empty.
  for (let i = 0; i < 3; i++) {
    const before = page.url();
    await page.getByRole('link', { name: 'Next week →' }).click();
    await expect(page).not.toHaveURL(before);
  }
  await expect(page.locator('.track .shift')).toHaveCount(0);
  const url = new URL(page.url());
  const location = url.searchParams.get('location')!;

  await page.getByRole('button', { name: 'Copy the previous week here' }).click();
  const result = page.locator('.copy-result');
  await expect(result).toContainText(/Copied \d+ shifts as drafts\./);
  const copied = Number((await result.textContent())!.match(/Copied (\d+)/)![1]);
  expect(copied).toBeGreaterThanOrEqual(100);
  await expect(page.locator('.track .shift.draft').first()).toBeVisible();

  // The copy opened a draft schedule for exactly that local week.
  const schedules = (await (await page.request.get(`/api/v1/schedules?location_id=${location}`)).json()) as Array<{
    id: string;
    period: { start: string };
  }>;
  const localDay = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(iso));
  const opened = schedules.filter((s) => localDay(s.period.start) === url.searchParams.get('week'));
  expect(opened.length).toBe(1);
  const response = await page.request.get(`/api/v1/shifts?schedule_id=${opened[0].id}&status=draft`);
  expect(response.status()).toBe(200);
  const drafts = (await response.json()) as Array<{ id: string }>;
  expect(drafts.length).toBe(copied);

  // Copying again adds nothing.
  await page.getByRole('button', { name: 'Copy the previous week here' }).click();
  await expect(result).toContainText('Copied 0 shifts as drafts.');
  expect(problems).toEqual([]);
});
