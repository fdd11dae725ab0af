import { test, expect, Page } from '@playwright/test';
import { demo, demoWeek, signIn, watchForErrors } from './helpers';

// The calendar as a scheduler reads it all day: the week fills the window, every block says its whole
// times and position without being cut short, and two shifts at once stand one above the other. The
// screens are also photographed into end2end/screenshots/ (the README names it), so anyone can look
// without running the app.

const SHOTS = 'screenshots';

type Rect = { x: number; y: number; width: number; height: number };

function disjoint(a: Rect, b: Rect): boolean {
  return a.x + a.width <= b.x + 0.5 || b.x + b.width <= a.x + 0.5 || a.y + a.height <= b.y + 0.5 || b.y + b.height <= a.y + 0.5;
}

async function openWeek(page: Page, week: string) {
  await page.goto(`/?week=${week}`);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await expect(page.locator('.track .shift').first()).toBeVisible();
}

/** Every drawn block: inside the track, its text unclipped, and apart from the others of its row. */
async function checkBlocks(page: Page) {
  const ticks = (await page.locator('.board-head .ticks').boundingBox())!;
  const scroll = page.locator('.board-scroll');
  // Seven days without a horizontal scrollbar.
  expect(await scroll.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  const rows = page.locator('.board-row');
  const count = await rows.count();
  expect(count).toBeGreaterThan(3);
  let blocks = 0;
  for (let r = 0; r < count; r++) {
    const shifts = await rows.nth(r).locator('.shift').evaluateAll((els) =>
      els.map((el) => {
        const box = el.getBoundingClientRect();
        const lines = Array.from(el.querySelectorAll('.times, .role')) as HTMLElement[];
        return {
          id: el.getAttribute('data-shift-id'),
          rect: { x: box.x, y: box.y, width: box.width, height: box.height },
          clipped: el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight,
          text: lines.map((l) => l.textContent).join(' '),
        };
      }),
    );
    for (const s of shifts) {
      blocks++;
      expect(s.rect.x, `${s.text} starts inside the grid`).toBeGreaterThanOrEqual(ticks.x - 0.5);
      expect(s.rect.x + s.rect.width, `${s.text} ends inside the grid`).toBeLessThanOrEqual(ticks.x + ticks.width + 0.5);
      expect(s.clipped, `${s.text} is not cut short`).toBe(false);
      expect(s.text).toMatch(/^\d\d:\d\d–\d\d:\d\d/);
    }
    for (let a = 0; a < shifts.length; a++)
      for (let b = a + 1; b < shifts.length; b++)
        expect(disjoint(shifts[a].rect, shifts[b].rect), `${shifts[a].text} and ${shifts[b].text} do not cover each other`).toBe(true);
  }
  expect(blocks).toBeGreaterThan(10);
}

for (const size of [
  { width: 1024, height: 768 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
]) {
  test(`at ${size.width}×${size.height} the week fills the window and every block reads in full`, async ({ browser }) => {
    const page = await browser.newPage({ viewport: size });
    const problems = watchForErrors(page);
    await signIn(page, demo.manager);
    // The published week, then the draft week with its double booking.
    await openWeek(page, demoWeek(1));
    await checkBlocks(page);
    // The track ends at the board's right edge, less its scrollbar: no grid stopping short of the window.
    const board = (await page.locator('.board-scroll').boundingBox())!;
    const ticks = (await page.locator('.board-head .ticks').boundingBox())!;
    expect(board.x + board.width - (ticks.x + ticks.width)).toBeLessThan(24);
    await page.screenshot({ path: `${SHOTS}/week-${size.width}.png` });

    await openWeek(page, demoWeek(2));
    await checkBlocks(page);
    const doubled = page.locator('.board-row', { has: page.locator('.shift.conflict-hard') }).first();
    await expect(doubled.locator('.shift.conflict-hard')).toHaveCount(2);
    const [a, b] = await doubled.locator('.shift.conflict-hard').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
    expect(disjoint(a, b)).toBe(true);
    // The row grew to hold both.
    expect((await doubled.boundingBox())!.height).toBeGreaterThan(80);
    // The mark names the kind of conflict.
    await expect(doubled.locator('.shift.conflict-hard .mark').first()).toHaveAttribute('title', /^Double booking: /);
    if (size.width === 1440) await page.screenshot({ path: `${SHOTS}/week-drafts-1440.png` });
    await page.close();
    expect(problems).toEqual([]);
  });
}

test('zooming widens the track and scrolls; the day view shows business hours or the full day', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const problems = watchForErrors(page);
  await signIn(page, demo.manager);
  await openWeek(page, demoWeek(1));
  const fit = (await page.locator('.board-head .ticks').boundingBox())!.width;
  await page.getByRole('group', { name: 'Zoom' }).getByRole('button', { name: '2 times wider' }).click();
  await expect.poll(async () => (await page.locator('.board-head .ticks').boundingBox())!.width).toBeCloseTo(2 * fit, 0);
  expect(await page.locator('.board-scroll').evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  await page.getByRole('group', { name: 'Zoom' }).getByRole('button', { name: 'Fit to the window' }).click();
  await expect.poll(async () => (await page.locator('.board-head .ticks').boundingBox())!.width).toBeCloseTo(fit, 0);

  await page.getByRole('navigation', { name: 'Week or day' }).getByRole('link', { name: 'Wed' }).click();
  await expect(page).toHaveURL(/day=/);
  await expect(page.getByRole('navigation', { name: 'Hours shown' }).getByRole('link', { name: 'Business hours' })).toHaveAttribute('aria-current', 'page');
  // The demo's shifts run 07:00–22:00: the day view starts an hour before.
  await expect(page.locator('.board-head .tick').first()).toHaveText('06:00');
  await checkBlocksOfDay(page);
  await page.screenshot({ path: `${SHOTS}/day-1440.png` });
  await page.getByRole('navigation', { name: 'Hours shown' }).getByRole('link', { name: 'Full day' }).click();
  await expect(page).toHaveURL(/hours=all/);
  await expect(page.locator('.board-head .tick').first()).toHaveText('00:00');
  await page.close();
  expect(problems).toEqual([]);
});

async function checkBlocksOfDay(page: Page) {
  // Polled: blocks glide to their new place and width when the axis changes.
  await expect
    .poll(() =>
      page.locator('.track .shift').evaluateAll((els) =>
        els.filter((el) => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight).map((el) => el.textContent),
      ),
    )
    .toEqual([]);
}

test('the conflict board, the day on a phone and a worker’s own week, photographed at desktop and phone sizes', async ({ browser }) => {
  for (const [name, size] of [
    ['1440', { width: 1440, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    const manager = await browser.newPage({ viewport: size });
    await signIn(manager, demo.manager, '/conflicts');
    await manager.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
    await expect(manager.locator('.board-item').first()).toBeVisible();
    expect(await manager.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await manager.screenshot({ path: `${SHOTS}/conflicts-${name}.png` });
    if (name === 'phone') {
      await manager.goto(`/?week=${demoWeek(1)}`);
      await manager.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
      await manager.screenshot({ path: `${SHOTS}/week-phone.png` });
      await manager.goto(`/?week=${demoWeek(1)}&day=${demoWeek(1)}`);
      await manager.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
      await expect(manager.locator('.track .shift').first()).toBeVisible();
      expect(await manager.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await manager.screenshot({ path: `${SHOTS}/day-phone.png` });
    }
    await manager.close();

    const worker = await browser.newPage({ viewport: size });
    await signIn(worker, demo.worker, '/me');
    await worker.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
    await worker.screenshot({ path: `${SHOTS}/me-${name}.png` });
    await worker.close();
  }
});
