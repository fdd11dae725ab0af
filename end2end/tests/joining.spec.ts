import { test, expect } from '@playwright/test';
import { demo, signIn, watchForErrors } from './helpers';

// An administrator adds a person by email; the person is asked at their first sign-in whether to join,
// and only by accepting do they get in. (The API answers the same whether or not the email already had
// an account; the HTTP tests hold that.)
test('a person an administrator adds joins only by accepting at sign-in', async ({ page, browser }) => {
  await signIn(page, demo.admin);
  const email = `joining-${Date.now()}@example.test`;
  const added = await page.request.post('/api/v1/members', {
    data: { email, name: 'Jo Joiner', password: 'a first password for Jo', role: 'manager' },
  });
  expect(added.status()).toBe(201);
  expect(await added.json()).toMatchObject({ email, name: 'Jo Joiner', pending: true });

  const jo = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
  const problems = watchForErrors(jo);
  await jo.goto('/');
  await jo.getByLabel('Email').fill(email);
  await jo.getByLabel('Password').fill('a first password for Jo');
  await jo.getByRole('button', { name: 'Sign in' }).click();

  await expect(jo.getByRole('heading', { name: 'Join “demo”?' })).toBeVisible();
  await expect(jo.locator('.membership-question')).toContainText('has added you as a manager');
  await jo.screenshot({ path: 'test-results/joining-question.png' });
  // Not now: nothing else to sign in to, so the page says so.
  await jo.getByLabel(/^Password/).fill('a first password for Jo');
  await jo.getByRole('button', { name: 'Not now' }).click();
  await expect(jo.getByRole('alert')).toContainText('not a member of that organisation');

  await jo.getByLabel('Password').fill('a first password for Jo');
  await jo.getByRole('button', { name: 'Sign in' }).click();
  await jo.getByLabel(/^Password/).fill('a first password for Jo');
  await jo.getByRole('button', { name: 'Accept and sign in' }).click();
  await expect(jo).not.toHaveURL(/\/sign-in/);
  const me = await (await jo.request.get('/api/v1/me')).json();
  expect(me).toMatchObject({ name: 'Jo Joiner', role: 'manager' });
  const members = await (await page.request.get('/api/v1/members')).json();
  expect(members.find((m: { email: string }) => m.email === email)).toMatchObject({ pending: false });
  expect(problems).toEqual([]);
});
