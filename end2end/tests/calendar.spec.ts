import { test, expect, Page, Locator, APIRequestContext } from '@playwright/test';
import { demo, demoWeek, signIn, watchForErrors, weekAxis } from './helpers';

// Real pointer drags and key presses on the scheduler's calendar, each checked against the database
// through the API afterwards. They plan in a week of their own, six weeks ahead, which the demo leaves
// empty: drawing there opens its draft schedule.
test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1600, height: 1000 } });

// The week fills the window: openWeek reads how wide an hour and a day are drawn.
let HOUR = 8;
let DAY = 24 * HOUR;
const ROW = 48; // a row with one lane

type Shift = { id: string; worker_id: string; status: string; version: number; during: { start: string; end: string } };

let weekUrl = '';

/** "Tue 09:00" for an instant, as a person in Berlin reads it. */
function berlin(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('weekday')} ${part('hour')}:${part('minute')}`;
}

async function shift(request: APIRequestContext, id: string): Promise<Shift> {
  const response = await request.get(`/api/v1/shifts/${id}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as Shift;
}

async function openWeek(page: Page) {
  await page.goto(weekUrl);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await expect(page.locator('.board-row').first()).toBeVisible();
  ({ hour: HOUR, day: DAY } = await weekAxis(page));
}

function row(page: Page, index: number): Locator {
  return page.locator('.board-row').nth(index);
}

/** Presses at (x, y), moves in small steps as a hand would, and lets go unless told to hold. */
async function drag(page: Page, from: { x: number; y: number }, dx: number, dy: number, hold = false) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + dx, from.y + dy, { steps: 12 });
  if (!hold) await page.mouse.up();
}

async function middleOf(locator: Locator) {
  const box = (await locator.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, box };
}

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page, demo.manager);
  const next = new URL((await page.getByRole('link', { name: 'Next week →' }).getAttribute('href'))!, 'http://x');
  weekUrl = `/?location=${next.searchParams.get('location')}&week=${demoWeek(6)}`;
  await page.close();
});

test.beforeEach(async ({ page }) => {
  await signIn(page, demo.manager);
});

let drawnId = '';
let copyId = '';

test('drawing on an empty stretch of a row makes a draft there', async ({ page }) => {
  const problems = watchForErrors(page);
  await openWeek(page);
  await expect(page.locator('.track .shift')).toHaveCount(0);
  const track = (await row(page, 0).locator('.track').boundingBox())!;
  // Tuesday 09:00 to 17:00.
  await drag(page, { x: track.x + DAY + 9 * HOUR, y: track.y + ROW / 2 }, 8 * HOUR, 0);
  await expect(page.locator('.notice.saved')).toBeVisible();
  const block = row(page, 0).locator('.shift');
  await expect(block).toHaveCount(1);
  drawnId = (await block.getAttribute('data-shift-id'))!;

  const saved = await shift(page.request, drawnId);
  expect(saved.status).toBe('draft');
  expect(saved.worker_id).toBe(await row(page, 0).getAttribute('data-worker-id'));
  expect([berlin(saved.during.start), berlin(saved.during.end)]).toEqual(['Tue 09:00', 'Tue 17:00']);
  expect(problems).toEqual([]);
});

test('dragging a shift moves it to another day and worker, with live week hours before the drop', async ({ page }) => {
  const problems = watchForErrors(page);
  await openWeek(page);
  const block = page.locator(`[data-shift-id="${drawnId}"]`);
  const { x, y } = await middleOf(block);
  await drag(page, { x, y }, DAY, ROW, true);
  // Before the drop: where it would land, and both rows' week hours as they would be.
  await expect(page.locator('.ghost')).toContainText('09:00–17:00');
  await expect(row(page, 1).locator('.week-hours.live')).toHaveText('8.0 h');
  await expect(row(page, 0).locator('.week-hours.live')).toHaveText('0.0 h');
  await page.mouse.up();
  await expect(page.locator('.notice.saved')).toBeVisible();
  await expect(row(page, 1).locator(`[data-shift-id="${drawnId}"]`)).toBeVisible();

  const saved = await shift(page.request, drawnId);
  expect(saved.worker_id).toBe(await row(page, 1).getAttribute('data-worker-id'));
  expect([berlin(saved.during.start), berlin(saved.during.end)]).toEqual(['Wed 09:00', 'Wed 17:00']);
  expect(saved.version).toBe(2);
  expect(problems).toEqual([]);
});

test('stretching the end of a shift makes it longer, snapped to the quarter hour', async ({ page }) => {
  const problems = watchForErrors(page);
  await openWeek(page);
  // The end of the shift's own time, which its label may reach beyond.
  const end = (await page.locator(`[data-shift-id="${drawnId}"] .handle.end`).boundingBox())!;
  await drag(page, { x: end.x + end.width / 2, y: end.y + end.height / 2 }, 2 * HOUR, 0);
  await expect(page.locator('.notice.saved')).toBeVisible();
  const saved = await shift(page.request, drawnId);
  expect([berlin(saved.during.start), berlin(saved.during.end)]).toEqual(['Wed 09:00', 'Wed 19:00']);
  expect(problems).toEqual([]);
});

test('dragging with Alt held copies the shift; Undo takes the copy back', async ({ page }) => {
  const problems = watchForErrors(page);
  await openWeek(page);
  const { x, y } = await middleOf(page.locator(`[data-shift-id="${drawnId}"]`));
  await page.keyboard.down('Alt');
  await drag(page, { x, y }, DAY, 0, true);
  await expect(page.locator('.ghost')).toContainText('(copy)');
  await page.mouse.up();
  await page.keyboard.up('Alt');
  await expect(page.locator('.notice.saved')).toBeVisible();
  const blocks = row(page, 1).locator('.shift');
  await expect(blocks).toHaveCount(2);
  const ids = await blocks.evaluateAll((els) => els.map((e) => e.getAttribute('data-shift-id')!));
  copyId = ids.find((id) => id !== drawnId)!;

  const original = await shift(page.request, drawnId);
  expect([berlin(original.during.start), original.version]).toEqual(['Wed 09:00', 3]);
  const copy = await shift(page.request, copyId);
  expect([copy.status, berlin(copy.during.start), berlin(copy.during.end)]).toEqual(['draft', 'Thu 09:00', 'Thu 19:00']);

  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(blocks).toHaveCount(1);
  expect((await shift(page.request, copyId)).status).toBe('cancelled');
  expect(problems).toEqual([]);
});

test('the keyboard moves a shift by the snap step and to the next worker; Enter saves, Escape cancels', async ({ page }) => {
  const problems = watchForErrors(page);
  await openWeek(page);
  const block = page.locator(`[data-shift-id="${drawnId}"]`);
  await expect(block).toHaveAttribute('aria-label', /Wed .*09:00–19:00/);
  await block.focus();
  // Escape leaves it where it was.
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('.ghost')).toContainText('09:15–19:15');
  await page.keyboard.press('Escape');
  await expect(page.locator('.ghost')).toHaveCount(0);

  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(page.getByRole('status').filter({ hasText: 'Enter to save' })).toContainText('10:00–19:45');
  await page.keyboard.press('Enter');
  await expect(page.locator('.notice.saved')).toBeVisible();
  await expect(page.locator(`[data-shift-id="${drawnId}"]`)).toBeFocused();
  const saved = await shift(page.request, drawnId);
  expect(saved.worker_id).toBe(await row(page, 2).getAttribute('data-worker-id'));
  expect([berlin(saved.during.start), berlin(saved.during.end)]).toEqual(['Wed 10:00', 'Wed 19:45']);
  expect(problems).toEqual([]);
});

test('dragging onto another shift of the worker warns before the drop; a draft may still land there', async ({ page }) => {
  const problems = watchForErrors(page);
  await openWeek(page);
  // Another draft for the worker on row 3, Wednesday 09:00–17:00.
  const track = (await row(page, 3).locator('.track').boundingBox())!;
  await drag(page, { x: track.x + 2 * DAY + 9 * HOUR, y: track.y + ROW / 2 }, 8 * HOUR, 0);
  await expect(row(page, 3).locator('.shift')).toHaveCount(1);

  const { x, y } = await middleOf(page.locator(`[data-shift-id="${drawnId}"]`));
  await drag(page, { x, y }, 0, ROW, true);
  await expect(page.locator('.ghost.conflict-hard')).toBeVisible();
  // Beside the pointer, in words and in full: which shift it would clash with, and why.
  const tip = page.getByTestId('drag-tip');
  await expect(tip).toContainText(/Double booking with Wed \d+ \w+ 09:00–17:00/);
  await expect(tip).toContainText('two shifts at the same time');
  expect(await tip.evaluate((el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight)).toBe(true);
  await page.mouse.up();
  await expect(page.locator('.notice.saved.with-conflicts')).toContainText('Saved as a draft with 1 hard conflict: double booking');
  await expect(row(page, 3).locator('.shift.conflict-hard')).toHaveCount(2);
  await expect(page.getByRole('region', { name: 'Open conflicts' })).toContainText('two shifts at the same time');
  expect((await shift(page.request, drawnId)).worker_id).toBe(await row(page, 3).getAttribute('data-worker-id'));
  expect(problems).toEqual([]);
});

test('a shift another scheduler moves glides to its new place here, without a reload', async ({ page, browser }) => {
  const problems = watchForErrors(page);
  await openWeek(page);
  await expect(page.locator('.live[data-live="live"]')).toBeVisible();
  // Marks this document: a reload would lose it.
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  const other = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await signIn(other, demo.admin);
  await openWeek(other);
  const block = page.locator(`[data-shift-id="${drawnId}"]`);
  const before = await middleOf(block);
  const rowBefore = await block.locator('xpath=ancestor::*[contains(@class,"board-row")]').getAttribute('data-worker-id');

  // The admin moves it a day later and onto the next worker.
  await drag(other, await middleOf(other.locator(`[data-shift-id="${drawnId}"]`)), DAY, ROW);
  await expect(other.locator('.notice.saved')).toBeVisible();
  const moved = await shift(page.request, drawnId);
  await expect.poll(async () => (await block.boundingBox())?.x ?? 0).toBeCloseTo(before.box.x + DAY, 0);
  const rowAfter = await block.locator('xpath=ancestor::*[contains(@class,"board-row")]').getAttribute('data-worker-id');
  expect(rowAfter).toBe(moved.worker_id);
  expect(rowAfter).not.toBe(rowBefore);
  await expect(page.locator('.live-activity')).toContainText('Alex Admin reassigned');
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

  // And back, so the tests after this one find it where it was.
  await drag(other, await middleOf(other.locator(`[data-shift-id="${drawnId}"]`)), -DAY, -ROW);
  await expect(other.locator('.notice.saved').last()).toContainText('Saved');
  await expect.poll(async () => (await block.boundingBox())?.x ?? 0).toBeCloseTo(before.box.x, 0);
  await other.close();
  expect(problems).toEqual([]);
});

test('a shift changed in another window while it is being dragged here snaps back to the truth and says who', async ({ page, browser }) => {
  const problems = watchForErrors(page);
  await openWeek(page);
  const other = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await signIn(other, demo.admin);
  await openWeek(other);

  // This window has the shift in hand when the admin moves it an hour later.
  const here = await middleOf(page.locator(`[data-shift-id="${drawnId}"]`));
  await drag(page, here, -2 * HOUR, 0, true);
  const there = await middleOf(other.locator(`[data-shift-id="${drawnId}"]`));
  await drag(other, there, HOUR, 0);
  await expect(other.locator('.notice.saved')).toBeVisible();
  const moved = await shift(page.request, drawnId);

  // Dropped two hours earlier, from the version it picked up.
  await page.mouse.up();
  await expect(page.locator('.notice.stale')).toContainText('Alex Admin changed this shift');
  await expect(page.locator(`[data-shift-id="${drawnId}"] .times`)).toHaveText('11:00–20:45');
  const after = await shift(page.request, drawnId);
  expect([after.version, after.during.start]).toEqual([moved.version, moved.during.start]);
  await other.close();
  expect(problems).toEqual([]);
});

test('a published shift dragged onto a hard conflict is refused before and after the drop', async ({ page }) => {
  const problems = watchForErrors(page);
  await page.goto(`/?week=${demoWeek(1)}`);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  // Row 1, not the demo worker's own row 0: nothing here may change her timeline.
  const published = row(page, 1).locator('.shift.active');
  await expect(published.nth(1)).toBeVisible();
  const id = (await published.first().getAttribute('data-shift-id'))!;
  const before = await shift(page.request, id);
  // Onto the same worker's next shift.
  const first = await middleOf(published.first());
  const second = await middleOf(published.nth(1));
  await drag(page, first, second.box.x - first.box.x, 0, true);
  await expect(page.locator('.ghost.refused')).toBeVisible();
  await expect(page.getByTestId('drag-tip')).toContainText('A published shift cannot be saved like this');
  await page.mouse.up();
  await expect(page.locator('.notice.refused')).toContainText('Not saved');
  const after = await shift(page.request, id);
  expect([after.version, after.during.start]).toEqual([before.version, before.during.start]);
  expect(problems).toEqual([]);
});

test('the day view lays one day on an hour axis, where a stretch is fine-grained', async ({ page }) => {
  const problems = watchForErrors(page);
  await openWeek(page);
  await page.getByRole('navigation', { name: 'Week or day' }).getByRole('link', { name: 'Wed' }).click();
  await expect(page).toHaveURL(/day=/);
  await expect(page.locator('.board-head .tick', { hasText: '13:00' })).toBeVisible();
  const block = page.locator(`[data-shift-id="${drawnId}"]`);
  await block.scrollIntoViewIfNeeded();
  const { box } = await middleOf(block);
  // Business hours only, across the whole window: an hour is far wider than in the week.
  const hour = box.width / (20.75 - 11);
  expect(hour).toBeGreaterThan(4 * (await weekAxis(page)).hour);
  await expect(page.locator('.board-head .tick').first()).toHaveText('08:00');
  // A quarter of an hour and a little more, back from the end.
  await drag(page, { x: box.x + box.width - 2, y: box.y + box.height / 2 }, -hour / 4 - 2, 0);
  await expect(page.locator('.notice.saved')).toBeVisible();
  const saved = await shift(page.request, drawnId);
  expect(berlin(saved.during.end)).toBe('Wed 20:30');
  expect(problems).toEqual([]);
});

test('the edit panel changes times, role, notes and breaks, and cancels the shift', async ({ page }) => {
  const problems = watchForErrors(page);
  await openWeek(page);
  await page.locator(`[data-shift-id="${drawnId}"]`).click();
  const panel = page.getByRole('complementary', { name: 'Edit shift' });
  await expect(panel).toBeVisible();
  await expect(panel.getByLabel('Starts')).toHaveValue('11:00');

  await panel.getByLabel('Ends').fill('19:00');
  await panel.getByLabel('Role').fill('barista');
  await panel.getByLabel('Notes').fill('Opens the terrace');
  await panel.getByRole('button', { name: 'Save shift' }).click();
  await expect(page.locator('.notice.saved')).toBeVisible();
  let saved = await shift(page.request, drawnId);
  expect([berlin(saved.during.start), berlin(saved.during.end)]).toEqual(['Wed 11:00', 'Wed 19:00']);
  expect(saved).toMatchObject({ role: 'barista', notes: 'Opens the terrace' });

  await panel.getByRole('button', { name: 'Add a break' }).click();
  const first = panel.locator('.break-row').first();
  await first.getByLabel('From').fill('14:00');
  await first.getByLabel('to').fill('14:30');
  await panel.getByRole('button', { name: 'Save breaks' }).click();
  await expect.poll(async () => (await shift(page.request, drawnId)).version).toBe(saved.version + 1);
  saved = await shift(page.request, drawnId);
  const breaks = (saved as unknown as { breaks: Array<{ during: { start: string; end: string } }> }).breaks;
  expect(breaks.map((b) => [berlin(b.during.start), berlin(b.during.end)])).toEqual([['Wed 14:00', 'Wed 14:30']]);

  // A break outside the shift is refused naming it, and nothing changes.
  await panel.locator('.break-row').first().getByLabel('From').fill('21:00');
  await panel.locator('.break-row').first().getByLabel('to').fill('21:30');
  await panel.getByRole('button', { name: 'Save breaks' }).click();
  await expect(page.locator('.notice.refused')).toContainText('breaks[0]');
  expect((await shift(page.request, drawnId)).version).toBe(saved.version);

  // Cancelling asks first, saying whose shift and when; "Keep it" leaves it as it was.
  await panel.getByRole('button', { name: 'Cancel this shift' }).click();
  const confirm = panel.getByRole('group', { name: 'Confirm cancelling' });
  await expect(confirm).toContainText(/shift on Wed \d+ \w+, 11:00–19:00\?/);
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  expect((await shift(page.request, drawnId)).status).toBe('draft');
  await panel.getByRole('button', { name: 'Cancel this shift' }).click();
  await confirm.getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(page.locator(`[data-shift-id="${drawnId}"]`)).toHaveCount(0);
  expect((await shift(page.request, drawnId)).status).toBe('cancelled');
  expect(problems).toEqual([]);
});

test('a click with a shift template chosen plans it on that worker and day, breaks included', async ({ page, baseURL }) => {
  const problems = watchForErrors(page);
  const made = await page.request.post('/api/v1/shift-templates', {
    data: { name: 'Calendar early', start: '07:00', end: '15:00', role: 'cashier', breaks: [{ start: '11:00', end: '11:30' }] },
    headers: { Origin: baseURL! },
  });
  expect(made.status()).toBe(201);
  await openWeek(page);
  await page.getByLabel('Draw').selectOption({ label: 'Calendar early 07:00–15:00' });
  const track = (await row(page, 4).locator('.track').boundingBox())!;
  await page.mouse.click(track.x + 3 * DAY + 12 * HOUR, track.y + ROW / 2);
  await expect(page.locator('.notice.saved')).toBeVisible();
  const block = row(page, 4).locator('.shift');
  await expect(block).toHaveCount(1);
  const planned = (await shift(page.request, (await block.getAttribute('data-shift-id'))!)) as Shift & {
    role: string;
    breaks: Array<{ during: { start: string; end: string } }>;
  };
  expect([berlin(planned.during.start), berlin(planned.during.end), planned.role]).toEqual(['Thu 07:00', 'Thu 15:00', 'cashier']);
  expect(planned.breaks.map((b) => [berlin(b.during.start), berlin(b.during.end)])).toEqual([['Thu 11:00', 'Thu 11:30']]);
  expect(problems).toEqual([]);
});

test('a drag held at the bottom edge scrolls the roster down to the last worker', async ({ page }) => {
  const problems = watchForErrors(page);
  await openWeek(page);
  const block = row(page, 4).locator('.shift');
  const id = (await block.getAttribute('data-shift-id'))!;
  const from = await middleOf(block);
  const area = (await page.locator('.board-scroll').boundingBox())!;
  await drag(page, from, 0, area.y + area.height - 10 - from.y, true);
  // Held there, the roster scrolls until the last worker is under the pointer.
  await expect.poll(() => page.locator('.board-scroll').evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 1)).toBe(true);
  await page.mouse.up();
  await expect(page.locator('.notice.saved')).toBeVisible();
  const last = page.locator('.board-row').last();
  expect((await shift(page.request, id)).worker_id).toBe(await last.getAttribute('data-worker-id'));
  expect(problems).toEqual([]);
});

test('workers can be found by name and grouped by the position they work most', async ({ page }) => {
  const problems = watchForErrors(page);
  await page.goto('/');
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  // Only the rows in view are drawn: the screen holds well over a dozen of the demo's staff.
  const drawn = () => page.locator('.board-row').count();
  expect(await drawn()).toBeGreaterThanOrEqual(15);
  await page.getByLabel('Find').fill('ada');
  await expect(page.locator('.board-row')).toHaveCount(1);
  await expect(page.locator('.board-row .name')).toHaveText('Ada Albers');
  await page.getByLabel('Find').fill('');
  await expect.poll(drawn).toBeGreaterThanOrEqual(15);
  await page.getByLabel('Group').selectOption('position');
  await expect(page.locator('.board-heading').first()).toContainText(/\(\d+\)/);
  expect(await page.locator('.board-heading').count()).toBeGreaterThanOrEqual(2);
  // Grouped, every worker still has one row.
  const names = await page.locator('.board-row .name').allTextContents();
  expect(names.length).toBeGreaterThanOrEqual(10);
  expect(new Set(names).size).toBe(names.length);
  expect(problems).toEqual([]);
});

test("shifts are drawn in their position's colour, and the toolbar fades the others", async ({ page }) => {
  const problems = watchForErrors(page);
  await page.goto('/');
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await expect(page.locator('.legend')).toContainText('Barista');
  const barista = page.locator('.track .shift', { hasText: 'Barista' }).first();
  await expect(barista).toHaveAttribute('style', /--position-colour:#[0-9a-f]{6}/i);
  await expect(page.locator('.track .shift.faded')).toHaveCount(0);
  await page.locator('.toolbar select[name="position-filter"]').selectOption({ label: 'Barista' });
  await expect(page.locator('.track .shift.faded').first()).toBeVisible();
  await expect(barista).not.toHaveClass(/faded/);
  expect(problems).toEqual([]);
});
