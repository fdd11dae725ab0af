import { test, expect, Page } from '@playwright/test';
import { demo, signIn, watchForErrors } from './helpers';

// Three people at once: Ada offers one of her published shifts to Sam on her phone, Sam takes it on
// his, and the manager approves the swap on the requests page; both phones follow every step live.
test.use({ viewport: { width: 1440, height: 900 } });

async function live(page: Page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await expect(page.locator('.live[data-live="live"]')).toBeVisible();
}

test('a shift offered to a colleague is taken on his phone and handed over once the manager approves', async ({ page, browser }) => {
  const problems = watchForErrors(page);
  // Sam, a new worker at Ada's location holding every position, with an account of his own.
  await signIn(page, demo.admin);
  const next = new URL((await page.getByRole('link', { name: 'Next week →' }).getAttribute('href'))!, 'http://x');
  const location = next.searchParams.get('location')!;
  const sam = await (await page.request.post('/api/v1/workers', { data: { name: 'Sam Swapper' } })).json();
  const employed = await page.request.post('/api/v1/employments', {
    data: { worker_id: sam.id, location_id: location, start: new Date(Date.now() - 86_400_000).toISOString() },
  });
  expect(employed.status(), await employed.text()).toBe(201);
  const positions = (await (await page.request.get('/api/v1/positions')).json()) as { id: string }[];
  const held = await page.request.put(`/api/v1/workers/${sam.id}/positions`, {
    data: { expected_version: sam.version, position_ids: positions.map((p) => p.id) },
  });
  expect(held.status(), await held.text()).toBe(200);
  const email = `sam-${Date.now()}@example.test`;
  const password = 'a first password for Sam';
  const added = await page.request.post('/api/v1/members', {
    data: { email, name: 'Sam Swapper', password, role: 'worker', worker_id: sam.id },
  });
  expect(added.status(), await added.text()).toBe(201);

  const samContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const samPhone = await samContext.newPage();
  const samProblems = watchForErrors(samPhone);
  await samPhone.goto('/');
  await samPhone.getByLabel('Email').fill(email);
  await samPhone.getByLabel('Password').fill(password);
  await samPhone.getByRole('button', { name: 'Sign in' }).click();
  await samPhone.getByLabel(/^Password/).fill(password);
  await samPhone.getByRole('button', { name: 'Accept and sign in' }).click();
  await samPhone.goto('/me');
  await live(samPhone);
  const samOffers = samPhone.getByRole('region', { name: 'Swaps and offers' });
  await expect(samOffers.getByText('Nobody is offering you a shift.')).toBeVisible();

  // Ada offers her first shift from tomorrow on to Sam.
  const adaContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const adaPhone = await adaContext.newPage();
  const adaProblems = watchForErrors(adaPhone);
  await signIn(adaPhone, demo.worker, '/me');
  await live(adaPhone);
  const offerable = adaPhone.locator('article.shift-card', { has: adaPhone.getByRole('button', { name: 'Offer this shift' }) });
  const shiftId = (await offerable.first().getAttribute('data-shift-id'))!;
  const card = adaPhone.locator(`article.shift-card[data-shift-id="${shiftId}"]`);
  await card.getByRole('button', { name: 'Offer this shift' }).click();
  const form = card.getByRole('form', { name: 'Offer this shift' });
  await form.getByLabel('To').selectOption({ label: 'Sam Swapper' });
  await form.getByLabel('Note').fill('Doctor in the morning');
  await form.getByRole('button', { name: 'Offer' }).click();
  await expect(card.getByRole('status')).toContainText('Offered to Sam Swapper');
  const adaOffers = adaPhone.getByRole('list', { name: 'Your offers' });
  await expect(adaOffers).toContainText('Offered');

  // It reaches Sam's phone without a reload; he takes it.
  const offered = samOffers.getByRole('listitem', { name: /^Ada Albers's shift/ });
  await expect(offered).toContainText('offers it to you', { timeout: 10_000 });
  await expect(offered).toContainText('Doctor in the morning');
  await offered.getByRole('button', { name: 'Take it' }).click();
  await expect(adaOffers).toContainText('Accepted — waiting for a manager', { timeout: 10_000 });

  // The manager approves it on the requests page.
  const managerContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const manager = await managerContext.newPage();
  const managerProblems = watchForErrors(manager);
  await signIn(manager, demo.manager, '/requests');
  await live(manager);
  const swap = manager.getByRole('listitem', { name: "Ada Albers's shift to Sam Swapper" });
  await expect(swap).toContainText('Ada Albers → Sam Swapper');
  const decided = Date.now();
  await swap.getByRole('button', { name: 'Approve' }).click();

  // Both phones follow: the shift is on Sam's timeline and gone from Ada's.
  await expect(samPhone.locator(`article.shift-card[data-shift-id="${shiftId}"]`)).toBeVisible({ timeout: 10_000 });
  console.log(`swap approved to the colleague's screen: ${Date.now() - decided} ms`);
  await expect(adaPhone.locator(`article.shift-card[data-shift-id="${shiftId}"]`)).toHaveCount(0);
  await expect(adaOffers).toContainText('Approved');
  await expect(manager.getByRole('listitem', { name: "Ada Albers's shift to Sam Swapper" })).toHaveCount(0);

  for (const phone of [samPhone, adaPhone]) {
    const widths = await phone.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
  }
  await samPhone.screenshot({ path: 'screenshots/swap-taken-phone.png', fullPage: true });
  await adaOffers.screenshot({ path: 'screenshots/swap-offers-phone.png' });

  // Back as it was: the manager gives the shift to Ada again, as the calendar would.
  const shift = await (await page.request.get(`/api/v1/shifts/${shiftId}`)).json();
  const ada = (await (await adaPhone.request.get('/api/v1/me')).json()).worker_id as string;
  const back = await page.request.patch(`/api/v1/shifts/${shiftId}`, { data: { expected_version: shift.version, worker_id: ada } });
  expect(back.status(), await back.text()).toBe(200);
  await Promise.all([samContext.close(), adaContext.close(), managerContext.close()]);
  expect([...problems, ...samProblems, ...adaProblems, ...managerProblems]).toEqual([]);
});
