import { test, expect } from '@playwright/test';
import { emptyServer, watchForErrors } from './helpers';

// A new install: an empty database and no demo. The first visitor creates the organisation and lands
// signed in as its administrator, adds the first location and sees its week; after that the door is
// closed (MOSAIC_SIGNUP=first, the default) and a stranger is asked to sign in.
test('the first visitor of an empty install creates the organisation and its first location', async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ baseURL: emptyServer, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const problems = watchForErrors(page);

  // The form on a phone first: every field readable, nothing wider than the screen.
  const phone = await (await browser.newContext({ baseURL: emptyServer, viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
  await phone.goto('/sign-up');
  await phone.waitForSelector('body[data-hydrated="true"]');
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await phone.screenshot({ path: 'test-results/first-run-sign-up-phone.png', fullPage: true });

  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-up$/);
  await expect(page.getByRole('heading', { name: 'Create your organisation' })).toBeVisible();
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.screenshot({ path: 'test-results/first-run-sign-up.png', fullPage: true });

  await page.getByLabel('Name', { exact: true }).fill('Harbour Bakery');
  await page.getByLabel('Time zone').selectOption('Europe/Lisbon');
  // A currency that is not three letters comes back with the field named and the rest kept.
  await page.getByLabel('Currency').fill('EU');
  await page.getByLabel('Your name').fill('Inês Costa');
  await page.getByLabel('Email').fill('ines@harbour.test');
  await page.getByLabel('Password').fill('a long founder password');
  await page.getByRole('button', { name: 'Create organisation' }).click();
  await expect(page.getByRole('alert')).toHaveText('Give a three-letter currency code, such as EUR or USD.');
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Harbour Bakery');
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Lisbon');
  await expect(page.getByLabel('Password')).toHaveValue('');

  await page.getByLabel('Currency').fill('EUR');
  await page.getByLabel('Password').fill('a long founder password');
  await page.getByRole('button', { name: 'Create organisation' }).click();

  await expect(page.getByRole('heading', { name: 'Add your first location' })).toBeVisible();
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Lisbon');
  await page.screenshot({ path: 'test-results/first-run-first-location.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/first-run-first-location-phone.png', fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByLabel('Name', { exact: true }).fill('Riverside');
  await page.getByLabel('Address (optional)').fill('Rua do Rio 1, Lisboa');
  await page.getByRole('button', { name: 'Add location' }).click();
  await expect(page).toHaveURL(/\?location=/);
  await expect(page.getByRole('region', { name: 'Week calendar' })).toBeVisible();
  await expect(page.getByLabel('Location')).toContainText('Riverside');

  const me = await (await page.request.get('/api/v1/me')).json();
  expect(me).toMatchObject({ name: 'Inês Costa', role: 'admin' });

  // The administrator invites a worker; the link is shown once, to send.
  await page.getByRole('link', { name: 'People' }).click();
  await expect(page.getByRole('heading', { name: 'People', exact: true })).toBeVisible();
  await page.waitForSelector('body[data-hydrated="true"]');
  const invite = page.getByRole('region', { name: 'Invite someone' });
  await invite.getByLabel('Email').fill('ada@harbour.test');
  await invite.getByLabel('Name', { exact: true }).fill('Ada Albers');
  await invite.getByRole('button', { name: 'Invite' }).click();
  const link = await page.getByLabel('Link to send').inputValue();
  expect(link).toMatch(new RegExp(`^${emptyServer}/join/mosaic_inv_`));
  await expect(page.getByRole('region', { name: 'Invitations' })).toContainText('ada@harbour.test');
  await expect(page.getByRole('region', { name: 'Invitations' })).toContainText('open until');
  await page.screenshot({ path: 'test-results/first-run-people.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/first-run-people-phone.png', fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1440, height: 900 });
  expect(problems).toEqual([]);

  // Settings: weeks from Sunday and a stricter weekly limit. A slip is named before anything is sent.
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toBeVisible();
  await page.waitForSelector('body[data-hydrated="true"]');
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Lisbon');
  await expect(page.getByLabel('Least rest between shifts')).toHaveValue('11');
  await page.getByLabel('Weeks start on').selectOption('sunday');
  await page.getByLabel('Most hours in a week').fill('200');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('alert')).toHaveText('Most hours in a week: must be between 1 and 168 hours.');
  await expect(page.getByLabel('Most hours in a week')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Most hours in a week').fill('40');
  await page.getByLabel('Saturday').uncheck();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved. Shifts from this week on are judged by the new rules.');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/first-run-settings.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/first-run-settings-phone.png', fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.reload();
  await page.waitForSelector('body[data-hydrated="true"]');
  await expect(page.getByLabel('Weeks start on')).toHaveValue('sunday');
  await expect(page.getByLabel('Most hours in a week')).toHaveValue('40');
  await expect(page.getByLabel('Saturday')).not.toBeChecked();
  await expect(page.getByLabel('Sunday', { exact: true })).toBeChecked();
  // The calendar now counts its weeks from Sunday.
  await page.getByRole('link', { name: 'Week', exact: true }).click();
  await expect(page.locator('.week-title')).toContainText('Week of Sun');
  expect(problems).toEqual([]);

  // A second location in another zone, put under the first from a day, closed and reopened.
  await page.getByRole('link', { name: 'Locations' }).click();
  await expect(page.getByRole('heading', { name: 'Locations', exact: true })).toBeVisible();
  await page.waitForSelector('body[data-hydrated="true"]');
  const add = page.getByRole('region', { name: 'Add a location' });
  await add.getByLabel('Name', { exact: true }).fill('Azores Kiosk');
  await add.getByLabel('Address (optional)').fill('Avenida Infante D. Henrique, Ponta Delgada');
  await add.getByLabel('Time zone').selectOption('Atlantic/Azores');
  await add.getByRole('button', { name: 'Add location' }).click();
  const kiosk = page.getByRole('listitem', { name: 'Azores Kiosk' });
  await expect(kiosk).toContainText('Atlantic/Azores');
  await kiosk.getByRole('button', { name: 'Edit' }).click();
  await kiosk.getByLabel('Part of').selectOption({ label: 'Riverside' });
  await kiosk.getByLabel(/^From/).fill('2027-01-04');
  await kiosk.getByRole('button', { name: 'Save' }).click();
  await expect(kiosk.getByRole('button', { name: 'Edit' })).toBeVisible();
  await expect(kiosk).toContainText('Riverside from Mon 4 Jan 2027');
  await kiosk.getByRole('button', { name: 'Close…' }).click();
  await kiosk.getByLabel('Close from').fill('2027-06-01');
  await kiosk.getByRole('button', { name: 'Close location' }).click();
  await expect(kiosk).toContainText('Closed from Tue 1 Jun 2027');
  await page.screenshot({ path: 'test-results/first-run-locations.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/first-run-locations-phone.png', fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1440, height: 900 });
  await kiosk.getByRole('button', { name: 'Reopen' }).click();
  await expect(kiosk).not.toContainText('Closed from');
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(problems).toEqual([]);

  // The roster: a worker added with their employment, given a phone and a position, removed from a day
  // and restored.
  await page.getByRole('link', { name: 'People' }).click();
  await page.waitForSelector('body[data-hydrated="true"]');
  const positions = page.getByRole('region', { name: 'Positions', exact: true });
  for (const name of ['Barista', 'Cashier']) {
    await positions.getByLabel('New position').fill(name);
    await positions.getByRole('button', { name: 'Add position' }).click();
    await expect(positions.getByRole('listitem', { name })).toContainText('nobody holds it yet');
  }
  const hire = page.getByRole('region', { name: 'Add a worker' });
  await hire.getByLabel('Name', { exact: true }).fill('Ben Brandt');
  await hire.getByLabel('Email (optional)').fill('ben@harbour.test');
  await hire.getByLabel('Works at').selectOption({ label: 'Riverside' });
  await hire.getByLabel('Employed from').fill('2026-11-02');
  await hire.getByLabel('Hours a week (optional)').fill('30');
  await hire.getByRole('button', { name: 'Add worker' }).click();
  const roster = page.getByRole('table', { name: 'Workers' });
  const ben = roster.getByRole('row').filter({ hasText: 'Ben Brandt' });
  await expect(ben).toContainText('Riverside since 2 Nov 2026 · 30 h a week');
  await expect(ben).toContainText('No account');
  await ben.getByRole('button', { name: 'Details' }).click();
  const details = page.locator('.worker-panel');
  await details.getByLabel('Phone').fill('+351 21 000 0000');
  await details.getByRole('button', { name: 'Save details' }).click();
  await expect(ben).toContainText('+351 21 000 0000');
  await details.getByLabel('Barista').check();
  await details.getByRole('button', { name: 'Save positions' }).click();
  await expect(ben.locator('.position-chip')).toHaveText(['Barista']);
  const byPosition = page.getByRole('search').getByLabel('Position');
  await byPosition.selectOption({ label: 'Cashier' });
  await expect(roster.getByRole('row').filter({ hasText: 'Ben Brandt' })).toHaveCount(0);
  await byPosition.selectOption({ label: 'Barista' });
  await expect(ben).toBeVisible();
  await byPosition.selectOption('');
  await page.screenshot({ path: 'test-results/first-run-roster.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/first-run-roster-phone.png', fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1440, height: 900 });
  // The details stay open as the roster reads itself again.
  await expect(ben.getByRole('button', { name: 'Details' })).toHaveAttribute('aria-expanded', 'true');
  await details.getByLabel('Remove from').fill('2026-12-20');
  await details.getByRole('button', { name: 'Remove worker' }).click();
  await expect(roster.getByRole('row').filter({ hasText: 'Ben Brandt' })).toHaveCount(0);
  await page.getByRole('search').getByLabel('Status').selectOption('removed');
  await expect(ben).toContainText('Removed from 20 Dec 2026');
  await expect(ben).toContainText('until 20 Dec 2026');
  await details.getByRole('button', { name: 'Restore worker' }).click();
  await expect(roster.getByRole('row').filter({ hasText: 'Ben Brandt' })).toHaveCount(0);
  await page.getByRole('search').getByLabel('Status').selectOption('active');
  await expect(ben).toContainText('Riverside since 2 Nov 2026 until 20 Dec 2026');
  await expect(ben).not.toContainText('Removed from');
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(problems).toEqual([]);

  // Fifty workers from a spreadsheet's file: one bad row is reported by line and column, nothing
  // lands; the fixed file imports whole, and importing it again changes nothing.
  const rosterFile = (kiosk: string) => {
    const lines = ['Name;E-mail;Employee ID;Site;Hire date;Hours per week;Hourly rate'];
    for (let i = 1; i <= 50; i++) {
      const place = i === 17 ? kiosk : i % 2 ? 'Riverside' : 'Azores Kiosk';
      lines.push(`Worker ${String(i).padStart(2, '0')};worker${i}@harbour.test;H-${i};${place};0${1 + (i % 9)}.11.2026;${20 + (i % 3) * 5};11,${i % 10}0`);
    }
    return { name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from('\ufeff' + lines.join('\r\n') + '\r\n') };
  };
  const importer = page.getByRole('region', { name: 'Import workers from a file' });
  const chosenFile = importer.getByLabel('File', { exact: true });
  await chosenFile.setInputFiles(rosterFile('Azores Kisok'));
  await importer.getByRole('button', { name: 'Check file' }).click();
  const problemsTable = importer.getByRole('table', { name: 'Problems in the file' });
  await expect(problemsTable.getByRole('row')).toHaveCount(2);
  await expect(problemsTable).toContainText("there is no location called 'Azores Kisok'");
  await expect(problemsTable.getByRole('row').nth(1)).toContainText(/18\s*Site/);
  await expect(importer.getByRole('button', { name: /^Import/ })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/first-run-import-problems.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/first-run-import-problems-phone.png', fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1440, height: 900 });
  await chosenFile.setInputFiles(rosterFile('Azores Kiosk'));
  await importer.getByRole('button', { name: 'Check file' }).click();
  await expect(importer).toContainText('50 workers in the file: 50 new');
  await importer.getByRole('button', { name: 'Import 50 workers' }).click();
  await expect(importer.locator('p.saved')).toContainText('Imported. 50 workers in the file: 50 new');
  await expect(roster.getByRole('row').filter({ hasText: 'Worker 17' })).toContainText('Azores Kiosk since 9 Nov 2026');
  await expect(roster.getByRole('row').filter({ hasText: 'Worker 17' })).toContainText('Invited, open until');
  await page.screenshot({ path: 'test-results/first-run-imported.png', fullPage: true });
  // Ada (invited above) and Ben, and the fifty from the file.
  const workerCount = async () => ((await (await page.request.get('/api/v1/workers?limit=500')).json()) as unknown[]).length;
  expect(await workerCount()).toBe(52);
  await chosenFile.setInputFiles(rosterFile('Azores Kiosk'));
  await importer.getByRole('button', { name: 'Check file' }).click();
  await expect(importer).toContainText('0 new, 0 changed, 50 unchanged');
  expect(await workerCount()).toBe(52);
  await expect(page.getByRole('region', { name: 'Invitations' })).toContainText('worker17@harbour.test');
  expect(problems).toEqual([]);

  // Ada is employed at Riverside. Next week, two of her shifts are drawn on the calendar and three of
  // the imported workers' come from a shifts file; the week is published.
  const adaRow = roster.getByRole('row').filter({ hasText: 'Ada Albers' });
  await ben.getByRole('button', { name: 'Details' }).click();
  await expect(details).toHaveCount(0);
  await adaRow.getByRole('button', { name: 'Details' }).click();
  const employ = details.locator('form.employ');
  await employ.locator('select').selectOption({ label: 'Riverside' });
  await employ.getByLabel('From').fill('2026-11-01');
  await details.getByRole('button', { name: 'Add employment' }).click();
  await expect(adaRow).toContainText('Riverside since 1 Nov 2026');
  await page.getByRole('link', { name: 'Week', exact: true }).click();
  await page.locator('.pick-form select[name="location"]').selectOption({ label: 'Riverside (Europe/Lisbon)' });
  await page.locator('.pick-form').getByRole('button', { name: 'Show' }).click();
  await page.getByRole('link', { name: 'Next week →' }).click();
  await page.waitForSelector('body[data-hydrated="true"]');
  await expect(page.locator('.pick-form select[name="location"] option:checked')).toHaveText('Riverside (Europe/Lisbon)');
  const weekStart = new URL(page.url()).searchParams.get('week')!;
  const dayOfWeek = (n: number) => {
    const day = new Date(`${weekStart}T12:00:00Z`);
    day.setUTCDate(day.getUTCDate() - day.getUTCDay() + n);
    return day.toISOString().slice(0, 10);
  };
  const adaOnCalendar = page.locator('.board-row', { has: page.locator('.name', { hasText: 'Ada Albers' }) });
  for (const [drawn, day] of [[1, 1], [2, 3]]) {
    // (Read each time: the first draft brings the Publish bar, which moves the rows down, and opens the
    // edit drawer, which narrows the week so far that the first shift's label reaches into the next day.)
    const track = (await adaOnCalendar.locator('.track').boundingBox())!;
    const hour = track.width / 7 / 24;
    await page.mouse.move(track.x + (day * 24 + 9) * hour, track.y + track.height / 2);
    await page.mouse.down();
    await page.mouse.move(track.x + (day * 24 + 17) * hour, track.y + track.height / 2, { steps: 10 });
    await page.mouse.up();
    await expect(adaOnCalendar.locator('.shift.draft')).toHaveCount(drawn);
  }
  const shiftsFile = ['date,start,end,worker,location,breaks,notes'];
  for (const n of [1, 3, 5]) shiftsFile.push(`${dayOfWeek(3)},07:00,15:00,worker${n}@harbour.test,Riverside,11:00-11:30,Opens`);
  const shiftsImporter = page.getByRole('region', { name: 'Import shifts from a file' });
  await shiftsImporter.getByLabel('File', { exact: true }).setInputFiles({ name: 'week.csv', mimeType: 'text/csv', buffer: Buffer.from(shiftsFile.join('\n') + '\n') });
  await shiftsImporter.getByRole('button', { name: 'Check file' }).click();
  await expect(shiftsImporter).toContainText('3 shifts in the file: 3 would be added as drafts, 0 already planned.');
  await shiftsImporter.getByRole('button', { name: 'Import 3 shifts' }).click();
  await expect(shiftsImporter.locator('p.saved')).toContainText('3 added as drafts');
  await expect(page.locator('.board-row', { hasText: 'Worker 03' }).locator('.shift.draft')).toHaveCount(1);
  await page.screenshot({ path: 'test-results/first-run-week.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/first-run-week-phone.png', fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByRole('button', { name: /^Publish / }).click();
  await expect(page.locator('.publishing .notice.saved')).toContainText('Published');
  await expect(page.locator('.track .shift.active')).toHaveCount(5);
  const exportLink = (await page.getByRole('link', { name: /^Download this week/ }).getAttribute('href'))!;
  const exported = await (await page.request.get(exportLink)).text();
  expect(exported).toContain(`${dayOfWeek(3)},07:00,15:00,worker3@harbour.test,Riverside,,11:00-11:30`);
  expect(problems).toEqual([]);

  // Ada opens it on her phone, chooses a password and lands on her own shifts.
  const ada = await (await browser.newContext({ baseURL: emptyServer, viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
  const adaProblems = watchForErrors(ada);
  await ada.goto(link);
  await expect(ada.getByRole('heading', { name: 'Join Harbour Bakery' })).toBeVisible();
  await expect(ada.getByLabel('Your name')).toHaveValue('Ada Albers');
  await ada.screenshot({ path: 'test-results/first-run-join-phone.png', fullPage: true });
  await ada.getByLabel('Choose a password').fill('a long password of Ada');
  await ada.getByRole('button', { name: 'Accept and sign in' }).click();
  await expect(ada).toHaveURL(/\/me$/);
  expect(await (await ada.request.get('/api/v1/me')).json()).toMatchObject({ name: 'Ada Albers', role: 'worker' });
  await expect(ada.locator('.shift-card')).toHaveCount(2);
  await expect(ada.locator('.shift-card').first()).toContainText('Riverside');
  // The link worked once.
  await ada.goto(link);
  await expect(ada.getByRole('alert')).toContainText('already been accepted');
  await ada.screenshot({ path: 'test-results/first-run-used-link-phone.png', fullPage: true });
  expect(adaProblems).toEqual([]);
  await page.goto('/people');
  await expect(page.getByRole('region', { name: 'Invitations' })).toContainText('accepted');

  // The first organisation closes sign-up behind it: a stranger on a phone is asked to sign in.
  const stranger = await (await browser.newContext({ baseURL: emptyServer, viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
  await stranger.goto('/');
  await expect(stranger).toHaveURL(/\/sign-in/);
  await stranger.waitForSelector('body[data-hydrated="true"]');
  await expect(stranger.getByRole('link', { name: 'Create your organisation' })).toHaveCount(0);
  await stranger.goto('/sign-up');
  await expect(stranger.getByRole('alert')).toContainText('New organisations are not created on this server');
});
