import { test, expect } from '@playwright/test';
import { demo, demoWeek, signIn, watchForErrors } from './helpers';

// A scheduler edits drafts at their own location; a published shift is a manager's. The calendar says
// so before any drag: the block cannot be grabbed, its pointer says no, and its tooltip says why.
test.use({ viewport: { width: 1440, height: 900 } });

test('a scheduler cannot start dragging a published shift, and is told why before trying', async ({ page }) => {
  const problems = watchForErrors(page);
  await signIn(page, demo.scheduler);
  await page.goto(`/?week=${demoWeek(1)}`);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  const published = page.locator('.track .shift.active').first();
  await expect(published).toBeVisible();
  await expect(published).toHaveClass(/\blocked\b/);
  await expect(published).toHaveAttribute('title', /You cannot change this shift: a scheduler may not change published shifts\./);
  expect(await published.evaluate((el) => getComputedStyle(el).cursor)).toBe('not-allowed');

  const id = (await published.getAttribute('data-shift-id'))!;
  const before = await (await page.request.get(`/api/v1/shifts/${id}`)).json();
  const box = (await published.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2, { steps: 10 });
  // No gesture began: no ghost follows the pointer and the block is not lifted.
  await expect(page.locator('.ghost')).toHaveCount(0);
  await expect(page.locator(`[data-shift-id="${id}"]`)).not.toHaveClass(/\bdragged\b/);
  await page.mouse.up();
  const after = await (await page.request.get(`/api/v1/shifts/${id}`)).json();
  expect([after.version, after.during.start]).toEqual([before.version, before.during.start]);

  // The week of drafts at the scheduler's own location stays theirs to grab.
  await page.goto(`/?week=${demoWeek(2)}`);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  const draft = page.locator('.track .shift.draft').first();
  await expect(draft).toBeVisible();
  await expect(draft).not.toHaveClass(/\blocked\b/);
  expect(await draft.evaluate((el) => getComputedStyle(el).cursor)).toBe('grab');
  expect(problems).toEqual([]);
});
