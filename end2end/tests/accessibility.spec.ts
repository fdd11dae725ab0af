import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { demo, demoWeek, signIn } from './helpers';

// axe-core (from the npm registry) checks every screen, as the person it is for, in the light and the
// dark theme: no serious or critical violation of WCAG 2 A and AA.
test.use({ viewport: { width: 1440, height: 900 } });

async function serious(page: Page): Promise<string[]> {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${page.url()} ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

const screens: Array<{ who: keyof typeof demo | null; paths: () => string[] }> = [
  { who: null, paths: () => ['/sign-in', '/sign-up', '/join/mosaic_inv_nothing'] },
  {
    who: 'manager',
    paths: () => [
      `/?week=${demoWeek(1)}`,
      `/?week=${demoWeek(2)}`,
      `/?week=${demoWeek(1)}&day=${demoWeek(1)}`,
      '/conflicts',
      '/requests',
      '/history',
      `/timesheets?week=${demoWeek(-1)}`,
      '/account',
    ],
  },
  { who: 'admin', paths: () => ['/people', '/locations', '/settings'] },
  { who: 'worker', paths: () => ['/me', '/account'] },
];

for (const scheme of ['light', 'dark'] as const) {
  test(`every screen passes axe-core in the ${scheme} theme`, async ({ browser }) => {
    test.setTimeout(180_000);
    const found: string[] = [];
    for (const { who, paths } of screens) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      if (who) await signIn(page, demo[who]);
      for (const path of paths()) {
        await page.goto(path);
        found.push(...(await serious(page)));
      }
      await context.close();
    }
    expect(found).toEqual([]);
  });
}
