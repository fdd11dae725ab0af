import { test, expect, Page } from '@playwright/test';
import { demo, demoWeek, signIn, watchForErrors } from './helpers';

// What happened against what was planned: a worker clocks in and out on her phone; a manager corrects
// a forgotten clock-out, approves last week (the demo clocked it) and downloads the payroll.

async function workerId(page: Page, name: string): Promise<string> {
  const found = (await (await page.request.get(`/api/v1/workers?q=${encodeURIComponent(name)}`)).json()) as Array<{ id: string }>;
  expect(found).toHaveLength(1);
  return found[0].id;
}

async function hydrated(page: Page, url: string) {
  await page.goto(url);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
}

test.describe('on a phone', () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

  test('a worker clocks in with a note and out again from her timeline', async ({ page }) => {
    const problems = watchForErrors(page);
    await signIn(page, demo.worker, '/me');
    await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
    const clock = page.getByRole('region', { name: 'Clock' });
    await expect(clock.getByRole('status')).toHaveText('Not clocked in');
    await clock.getByLabel('Where').selectOption({ label: 'Berlin Mitte' });
    await clock.getByLabel('Note').fill('Opening the cafe');
    await clock.getByRole('button', { name: 'Clock in' }).click();
    await expect(clock.getByRole('status')).toContainText('Clocked in since');
    await expect(clock.locator('.punches li')).toHaveCount(1);
    await expect(clock.locator('.punches li').first()).toContainText('Opening the cafe');
    // An out within two seconds of the in is taken for a double tap and refused; a person is slower.
    await page.waitForTimeout(2_100);
    await clock.getByRole('button', { name: 'Clock out' }).click();
    await expect(clock.getByRole('status')).toHaveText('Not clocked in');
    await expect(clock.locator('.punches li')).toHaveCount(2);
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
    expect(problems).toEqual([]);
  });
});

test('a manager adds a forgotten clock-out, approves the week and downloads the payroll', async ({ page }) => {
  const problems = watchForErrors(page);
  await signIn(page, demo.manager);
  const lastWeek = demoWeek(-1);

  // The demo's forgetful worker: last week cannot be approved until the clock-out is there.
  const dmitri = await workerId(page, 'Dmitri Demir');
  await hydrated(page, `/timesheets?worker=${dmitri}&week=${lastWeek}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Dmitri Demir');
  const blocking = page.locator('.blocking');
  await expect(blocking).toContainText('has no clock-out');
  await expect(page.getByRole('region', { name: 'Needs attention' })).toContainText('never clocked out');
  const open = page.locator('table.timesheet tbody tr', { hasText: 'clock-out missing' });
  await expect(open).toHaveCount(1);
  const day = (await open.getAttribute('data-date'))!;

  const punches = page.getByRole('region', { name: 'Punches' });
  await punches.getByLabel('Reason for a correction').fill('Left at the end of the shift, forgot the clock');
  await punches.getByLabel('Direction of the new punch').selectOption('out');
  await punches.getByLabel('Day of the new punch').fill(day);
  await punches.getByLabel('Time of the new punch').fill('22:00');
  await punches.getByRole('button', { name: 'Add punch' }).click();
  await expect(blocking).toHaveCount(0);
  await expect(punches).toContainText('forgot the clock” (Maria Manager)');
  await page.getByRole('button', { name: 'Approve week' }).click();
  await expect(page.locator('.approved')).toContainText('Approved by Maria Manager');
  await expect(page.getByRole('table', { name: 'Payroll pieces' }).locator('tbody tr').first()).toBeVisible();
  // Approved: the punches are locked.
  await expect(punches.getByRole('button', { name: 'Add punch' })).toHaveCount(0);

  // A raise from this week on: a new rate, the one before ending the day before.
  const pay = page.getByRole('region', { name: 'Pay', exact: true });
  await expect(pay.getByRole('table', { name: 'Pay rates' }).locator('tr')).toHaveCount(1);
  await expect(pay.getByRole('table', { name: 'Pay rates' })).toContainText('16.75 EUR an hour');
  await pay.getByLabel('New hourly rate').fill('17,40');
  await pay.getByLabel('From').fill(demoWeek(0));
  await pay.getByRole('button', { name: 'Set rate' }).click();
  const rates = pay.getByRole('table', { name: 'Pay rates' }).locator('tr');
  await expect(rates).toHaveCount(2);
  await expect(rates.first()).toContainText('– now');
  await expect(rates.first()).toContainText('17.40 EUR an hour');
  await expect(rates.nth(1)).toContainText('16.75 EUR an hour');

  // Ada's week was clocked in full: approve it from the picker.
  await page.locator('select[name="worker"]').selectOption({ label: 'Ada Albers' });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Ada Albers');
  const week = page.getByRole('table', { name: 'Planned against actual' });
  await expect(week.locator('tfoot .clocked')).not.toHaveText('0.0 h');
  await page.getByRole('button', { name: 'Approve week' }).click();
  await expect(page.locator('.approved')).toContainText('Approved by Maria Manager');

  // The payroll of the week: a CSV file with a row per rate type, each worker's total and the sum.
  const sunday = new Date(`${lastWeek}T12:00:00Z`);
  sunday.setUTCDate(sunday.getUTCDate() + 6);
  const exporter = page.getByRole('region', { name: 'Payroll export' });
  await exporter.getByLabel('From').fill(lastWeek);
  await exporter.getByLabel('To').fill(sunday.toISOString().slice(0, 10));
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    exporter.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^payroll-.*\.csv$/);
  const stream = await download.createReadStream();
  let text = '';
  for await (const chunk of stream) text += chunk;
  const rows = text.trim().split('\n').map((line) => line.split(','));
  expect(rows[0]).toEqual(['worker', 'email', 'rate_type', 'hours', 'cost', 'currency', 'period_from', 'period_to']);
  const totals = rows.filter((r) => r[2] === 'total');
  expect(totals.map((r) => r[0])).toEqual(['Ada Albers', 'Dmitri Demir', 'all workers']);
  const sum = (r: string[]) => Number(r[4]);
  expect(sum(totals[2])).toBeCloseTo(sum(totals[0]) + sum(totals[1]), 2);
  expect(Number(totals[0][3])).toBeGreaterThan(30);
  expect(totals.every((r) => r[5] === 'EUR')).toBe(true);
  expect(problems).toEqual([]);
});

test('a worker is sent from the timesheets to her own timeline', async ({ page }) => {
  await signIn(page, demo.worker, '/timesheets');
  await expect(page).toHaveURL(/\/me$/);
});
