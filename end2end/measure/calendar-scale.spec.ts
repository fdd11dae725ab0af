import { test, expect, Page } from '@playwright/test';

// Loads a 2,000-worker week several times and drags a shift across it, printing time to first paint,
// to hydration, the page's size, and frame intervals while dragging and scrolling.
test.use({ viewport: { width: 1600, height: 1000 } });

const LOADS = 5;

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.round((p / 100) * (sorted.length - 1)))];
  return { n: sorted.length, p50: at(50), p95: at(95), max: sorted[sorted.length - 1] };
}

const fmt = (s: { n: number; p50: number; p95: number; max: number }) =>
  `p50 ${s.p50.toFixed(1)} ms  p95 ${s.p95.toFixed(1)} ms  max ${s.max.toFixed(1)} ms  (${s.n})`;

async function recordFrames(page: Page, during: () => Promise<void>) {
  await page.evaluate(() => {
    const w = window as any;
    w.__frames = [];
    w.__recording = true;
    const tick = (t: number) => {
      w.__frames.push(t);
      if (w.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await during();
  const frames: number[] = await page.evaluate(() => {
    const w = window as any;
    w.__recording = false;
    return w.__frames;
  });
  return frames.slice(1).map((t, i) => t - frames[i]);
}

test('a 2,000-worker week: first paint, hydration, dragging and scrolling', async ({ page }) => {
  await page.addInitScript(() => {
    // When the app marks the body hydrated, note the time.
    new MutationObserver((_, observer) => {
      if (document.body?.dataset.hydrated) {
        (window as any).__hydratedAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
  });
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('manager@scale.mosaic.test');
  await page.getByLabel('Password').fill('scale-manager-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/sign-in/);

  const loads: Array<{ ttfb: number; html: number; paint: number; hydrated: number; bytes: number }> = [];
  for (let i = 0; i < LOADS; i++) {
    await page.goto('/?week=2026-01-05');
    await page.waitForSelector('body[data-hydrated="true"]', { timeout: 120_000 });
    loads.push(
      await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        return {
          ttfb: nav.responseStart - nav.requestStart,
          html: nav.responseEnd - nav.requestStart,
          paint: paint ? paint.startTime : NaN,
          hydrated: (window as any).__hydratedAt ?? NaN,
          bytes: nav.encodedBodySize,
        };
      }),
    );
  }
  const rows = await page.locator('.board-row').count();
  const total = await page.locator('.board-body').getAttribute('aria-rowcount');

  // Drag a shift of the fourth row across three days and ten workers, as a hand would, then let it go back.
  const block = page.locator('.board-row').nth(3).locator('.shift').first();
  const box = (await block.boundingBox())!;
  const start = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const drag = await recordFrames(page, async () => {
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    for (let i = 1; i <= 150; i++) {
      await page.mouse.move(start.x + i * 4, start.y + (i * 440) / 150);
      if (i % 5 === 0) await page.waitForTimeout(16);
    }
  });
  await page.keyboard.press('Escape');
  await page.mouse.up();
  await expect(page.locator('.ghost')).toHaveCount(0);

  // Scroll with the wheel, three rows a notch, as a person reads down the roster.
  await page.mouse.move(start.x, start.y);
  const wheel = await recordFrames(page, async () => {
    for (let i = 0; i < 150; i++) {
      await page.mouse.wheel(0, 120);
      await page.waitForTimeout(16);
    }
  });
  // Then jump through the whole roster, as dragging the scroll bar does: every step draws new rows only.
  const scroll = await recordFrames(page, async () => {
    for (let i = 1; i <= 60; i++) {
      await page.locator('.board-scroll').evaluate((el, step) => (el.scrollTop = (el.scrollHeight * step) / 60), i);
      await page.waitForTimeout(16);
    }
  });
  await expect(page.locator('.board-row').last()).toContainText('Worker 01999');

  const line = (name: string, values: number[], unit = 'ms') => {
    const s = stats(values);
    return `${name.padEnd(34)} p50 ${s.p50.toFixed(unit === 'KB' ? 0 : 1)} ${unit}   max ${s.max.toFixed(unit === 'KB' ? 0 : 1)} ${unit}`;
  };
  console.log(
    [
      '',
      `== calendar with ${total} workers (rows drawn at once: ${rows}); ${LOADS} loads`,
      line('server response (to first byte)', loads.map((l) => l.ttfb)),
      line('page received', loads.map((l) => l.html)),
      line('first contentful paint', loads.map((l) => l.paint)),
      line('hydrated (interactive)', loads.map((l) => l.hydrated)),
      line('page size (compressed)', loads.map((l) => l.bytes / 1024), 'KB'),
      `frame interval while dragging      ${fmt(stats(drag))}; frames over 20 ms: ${drag.filter((d) => d > 20).length}`,
      `frame interval, wheel scrolling    ${fmt(stats(wheel))}; frames over 20 ms: ${wheel.filter((d) => d > 20).length}`,
      `frame interval, jumping 33 rows    ${fmt(stats(scroll))}; frames over 20 ms: ${scroll.filter((d) => d > 20).length}`,
      '',
    ].join('\n'),
  );
});
