import { test, expect, Page } from '@playwright/test';
import { berlinClock, demo, demoWeek, signIn, watchForErrors } from './helpers';

// The manager's conflict board, on conflicts this test makes itself in a week nine weeks ahead (the
// demo's own conflicts stay for the week view's test).
test.use({ viewport: { width: 1400, height: 1000 } });

type Row = { id: string; name: string };

async function weekAhead(page: Page, weeks: number) {
  const next = new URL((await page.getByRole('link', { name: 'Next week →' }).getAttribute('href'))!, 'http://x');
  const monday = new Date(`${demoWeek(weeks)}T00:00:00Z`);
  return { location: next.searchParams.get('location')!, monday };
}

async function rows(page: Page, url: string): Promise<Row[]> {
  await page.goto(url);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  const found: Row[] = [];
  for (const row of await page.locator('.board-row').all()) {
    found.push({ id: (await row.getAttribute('data-worker-id'))!, name: (await row.locator('.name').textContent())! });
  }
  return found;
}

/** A draft through the calendar's own server function (Berlin is UTC+1 in this season or +2: the times
 *  only need to overlap or not, so they are given in UTC). */
async function draft(page: Page, worker: string, location: string, start: Date, hours: number) {
  const end = new Date(start.getTime() + hours * 3600_000);
  const response = await page.request.post('/rpc/create_drawn_shift', {
    data: { drawn: { worker_id: worker, location_id: location, start: start.toISOString(), end: end.toISOString() } },
  });
  expect(response.status()).toBe(200);
  const answer = await response.json();
  expect(answer.Saved, JSON.stringify(answer)).toBeTruthy();
  return answer.Saved as { id: string; version: number };
}

const at = (monday: Date, day: number, hour: number) => new Date(monday.getTime() + (day * 24 + hour) * 3600_000);

test('the board lists, filters and settles conflicts, and shows new ones live', async ({ page, browser }) => {
  const problems = watchForErrors(page);
  await signIn(page, demo.manager);
  const { location, monday } = await weekAhead(page, 9);
  const staff = await rows(page, `/?location=${location}&week=${monday.toISOString().slice(0, 10)}`);
  const [ann, bob, cy] = [staff[0], staff[1], staff[2]];

  // A double booking for the first worker, a short rest for the second.
  await draft(page, ann.id, location, at(monday, 1, 8), 8);
  const second = await draft(page, ann.id, location, at(monday, 1, 11), 4);
  await draft(page, bob.id, location, at(monday, 2, 13), 6);
  const early = await draft(page, bob.id, location, at(monday, 3, 5), 6);

  await page.goto(`/conflicts?location=${location}`);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await expect(page.locator('.live[data-live="live"]')).toBeVisible();
  // Each of this test's items, by kind and by one of its shifts (the demo has conflicts of its own).
  const item = (kind: string, shift: string) =>
    page.locator('.board-item', { has: page.locator(`.involved[data-shift-id="${shift}"]`) }).filter({ hasText: kind });
  await expect(item('Double booking', second.id)).toHaveCount(1);
  await expect(item('Double booking', second.id)).toContainText(ann.name);
  await expect(item('Double booking', second.id).locator('.involved')).toHaveCount(2);
  await expect(item('Short rest', early.id)).toContainText(bob.name);
  await expect(page.getByRole('list', { name: 'Open conflicts per kind' })).toContainText('Double booking');

  // Only warnings.
  await page.getByLabel('Severity').selectOption('warning');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/severity=warning/);
  await expect(page.locator('.board-item.hard')).toHaveCount(0);
  await expect(item('Short rest', early.id)).toHaveCount(1);

  // The short rest is acknowledged with a reason, which is kept.
  const rest = item('Short rest', early.id);
  const restId = (await rest.getAttribute('data-item-id'))!;
  await rest.getByLabel('Reason').fill('Bob asked for the early start');
  await rest.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(page.locator(`[data-item-id="${restId}"]`)).toHaveCount(0);
  const acknowledged = await (await page.request.get(`/api/v1/attention-items/${restId}`)).json();
  expect([acknowledged.status, acknowledged.reason]).toEqual(['acknowledged', 'Bob asked for the early start']);
  const history = await (await page.request.get(`/api/v1/attention-items/${restId}/history`)).json();
  expect(history.map((c: { kind: string }) => c.kind)).toContain('attention.acknowledged');

  // Back to everything; another window makes a new double booking, and it appears here by itself.
  await page.goto(`/conflicts?location=${location}`);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await expect(page.locator('.live[data-live="live"]')).toBeVisible();
  const other = await (await browser.newContext()).newPage();
  await signIn(other, demo.admin);
  await draft(other, cy.id, location, at(monday, 4, 8), 8);
  const late = await draft(other, cy.id, location, at(monday, 4, 9), 2);
  await expect(item('Double booking', late.id)).toContainText(cy.name);
  await other.close();

  // Its short shift is moved after the long one right on the board (local times): the double booking goes.
  const clashing = item('Double booking', late.id).locator(`.involved[data-shift-id="${late.id}"]`);
  // One line per shift; its actions open from a menu.
  await expect(clashing.getByRole('button', { name: 'Change times' })).toBeHidden();
  await clashing.locator('summary').click();
  await clashing.getByLabel(/^New start of/).fill(berlinClock(at(monday, 4, 17)));
  await clashing.getByLabel(/^New end of/).fill(berlinClock(at(monday, 4, 19)));
  await clashing.getByRole('button', { name: 'Change times' }).click();
  await expect(item('Double booking', late.id)).toHaveCount(0);
  const retimed = await (await page.request.get(`/api/v1/shifts/${late.id}`)).json();
  expect(retimed.during.start).toBe(at(monday, 4, 17).toISOString().replace('.000Z', 'Z'));

  // Its history names who made its shifts.
  const double = item('Double booking', second.id);
  await double.getByRole('button', { name: 'History' }).click();
  await expect(double.getByRole('list', { name: 'History' }).locator('li')).toHaveCount(2);
  await expect(double.getByRole('list', { name: 'History' })).toContainText('shift.created');

  // Cover for the first worker's second shift: given to someone free, and the item closes.
  await double.getByRole('button', { name: 'Find cover' }).click();
  const give = double.getByRole('button', { name: /^Give it to / });
  await expect(give.first()).toBeVisible();
  const to = ((await give.first().textContent()) ?? '').replace('Give it to ', '');
  await give.first().click();
  await expect(item('Double booking', second.id)).toHaveCount(0);
  const moved = await (await page.request.get(`/api/v1/shifts/${second.id}`)).json();
  expect(staff.find((r) => r.id === moved.worker_id)?.name).toBe(to);
  expect(problems).toEqual([]);
});

test('hard conflicts lead the board, and a shift that is over offers no Cancel', async ({ page }) => {
  const problems = watchForErrors(page);
  await signIn(page, demo.manager);
  await page.goto('/conflicts');
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  const items = page.locator('.board-item');
  await expect(items.first()).toHaveClass(/\bhard\b/);
  const classes = await items.evaluateAll((all) => all.map((el) => (el.classList.contains('hard') ? 'hard' : 'warning')));
  expect(classes.indexOf('warning')).toBeGreaterThan(classes.lastIndexOf('hard'));
  // The demo's forgotten clock-out is on a shift last week: it can be corrected, not cancelled.
  const forgotten = items.filter({ hasText: 'Missing clock-out' }).first();
  await expect(forgotten.locator('.involved')).toHaveCount(1);
  await expect(forgotten.locator('.involved .cancel-shift')).toHaveCount(0);
  // The double booking's shifts are still to come: each can be cancelled.
  const doubled = items.filter({ hasText: 'Double booking' }).first();
  const involved = await doubled.locator('.involved').count();
  expect(involved).toBeGreaterThan(1);
  await expect(doubled.locator('.involved .cancel-shift')).toHaveCount(involved);
  expect(problems).toEqual([]);
});
