import { expect, Page } from '@playwright/test';

/** The demo's people, as the run command prints them. */
export const demo = {
  admin: { email: 'admin@demo.mosaic.test', password: 'demo-admin-2026' },
  manager: { email: 'manager@demo.mosaic.test', password: 'demo-manager-2026' },
  scheduler: { email: 'scheduler@demo.mosaic.test', password: 'demo-scheduler-2026' },
  worker: { email: 'worker@demo.mosaic.test', password: 'demo-worker-2026' },
};

/** The server started on an empty database without the demo (playwright.config.ts), as a new install is. */
export const emptyServer = `http://127.0.0.1:${process.env.E2E_EMPTY_PORT ?? 3101}`;

/** Collects everything the page reports as broken: uncaught exceptions, console errors, failed requests. */
export function watchForErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('requestfailed', (r) => {
    // A request the browser dropped because the page navigated on (a favicon still loading when the
    // test moves to the next page) is not a failure of the app.
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  return problems;
}

/** Signs in through the sign-in form, as a person would, starting from `path`. */
export async function signIn(page: Page, who: { email: string; password: string }, path = '/') {
  await page.goto(path);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

/** `09:30`: an instant on the wall clock of the demo's location (Berlin). */
export const berlinClock = (t: Date) =>
  t.toLocaleTimeString('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hour12: false });

/** `2026-03-09`: the Monday of the demo's week `offset` weeks after the one it was planned around
 * (0: its "this week", whose neighbours hold published shifts; 1: published; 2: drafts with conflicts). */
export function demoWeek(offset: number): string {
  const today = process.env.MOSAIC_DEMO_TODAY;
  if (!today) throw new Error('MOSAIC_DEMO_TODAY is set by playwright.config.ts');
  const day = new Date(`${today}T12:00:00Z`);
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  day.setUTCDate(day.getUTCDate() - sinceMonday + offset * 7);
  return day.toISOString().slice(0, 10);
}

/** The week view's axis as this window draws it: pixels per hour and per day (the track fills the window). */
export async function weekAxis(page: Page): Promise<{ hour: number; day: number }> {
  const ticks = (await page.locator('.board-head .ticks').boundingBox())!;
  return { hour: ticks.width / (7 * 24), day: ticks.width / 7 };
}
