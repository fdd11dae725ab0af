import { test, expect, Page } from '@playwright/test';

// Live latency: two browser contexts on the same week, one dragging a shift back and forth, the other
// watching. Each figure is the time from the pointer letting go in the first window to the block
// showing its new times in the second: the save, the commit, the NOTIFY, the instance's follower, the
// event stream and the calendar taking the change in.
test.use({ viewport: { width: 1600, height: 1000 } });

const DROPS = Number(process.env.LIVE_DROPS ?? 50);
const HOUR = 8;

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.round((p / 100) * (sorted.length - 1)))];
  return { n: sorted.length, p50: at(50), p95: at(95), max: sorted[sorted.length - 1] };
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

async function openWeek(page: Page, url: string) {
  await page.goto(url);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 60_000 });
  await expect(page.locator('.live[data-live="live"]')).toBeVisible({ timeout: 30_000 });
}

test('live latency: a drop in one window, the block moving in another', async ({ browser }) => {
  const dragger = await (await browser.newContext()).newPage();
  const watcher = await (await browser.newContext()).newPage();
  await signIn(dragger, 'manager@demo.mosaic.test', 'demo-manager-2026');
  await signIn(watcher, 'admin@demo.mosaic.test', 'demo-admin-2026');

  // The demo's draft week (the week after next), whose first draft shift is dragged.
  const next = new URL((await dragger.getByRole('link', { name: 'Next week →' }).getAttribute('href'))!, 'http://x');
  const monday = new Date(`${next.searchParams.get('week')}T12:00:00Z`);
  monday.setUTCDate(monday.getUTCDate() + 7);
  const url = `/?location=${next.searchParams.get('location')}&week=${monday.toISOString().slice(0, 10)}`;
  await openWeek(dragger, url);
  await openWeek(watcher, url);
  const id = (await dragger.locator('.track .shift.draft').first().getAttribute('data-shift-id'))!;

  // Each window notes, on its own clock (one machine: the same clock), when the pointer let go and
  // when the block's times changed.
  await dragger.evaluate(() => {
    (window as any).__drops = [];
    document.addEventListener('pointerup', (e) => (window as any).__drops.push(performance.timeOrigin + e.timeStamp), true);
  });
  await watcher.evaluate((id) => {
    const w = window as any;
    w.__arrivals = [];
    let last = document.querySelector(`[data-shift-id="${id}"] .times`)?.textContent;
    new MutationObserver(() => {
      const now = document.querySelector(`[data-shift-id="${id}"] .times`)?.textContent;
      if (now && now !== last) {
        last = now;
        w.__arrivals.push({ at: performance.timeOrigin + performance.now(), times: now });
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  }, id);

  for (let i = 0; i < DROPS; i++) {
    const block = dragger.locator(`[data-shift-id="${id}"]`);
    const box = (await block.boundingBox())!;
    const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const dx = i % 2 === 0 ? HOUR : -HOUR;
    await dragger.mouse.move(from.x, from.y);
    await dragger.mouse.down();
    await dragger.mouse.move(from.x + dx, from.y, { steps: 4 });
    await dragger.mouse.up();
    await expect(dragger.locator('.notice.saved')).toBeVisible();
    await expect.poll(() => watcher.evaluate(() => (window as any).__arrivals.length), { timeout: 10_000 }).toBe(i + 1);
    await expect(dragger.locator(`[data-shift-id="${id}"] .times`)).toHaveText(
      (await watcher.locator(`[data-shift-id="${id}"] .times`).textContent())!,
    );
  }
  const drops: number[] = await dragger.evaluate(() => (window as any).__drops);
  const arrivals: { at: number }[] = await watcher.evaluate(() => (window as any).__arrivals);
  expect(arrivals.length).toBe(DROPS);
  const latencies = arrivals.map((a, i) => a.at - drops[drops.length - DROPS + i]);
  const s = stats(latencies);
  console.log(`live latency, drop → block moved in the other window: p50 ${s.p50.toFixed(0)} ms  p95 ${s.p95.toFixed(0)} ms  max ${s.max.toFixed(0)} ms  (${s.n} drops)`);
});
