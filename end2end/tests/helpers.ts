import { Browser, Page, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const ADMIN_EMAIL = process.env.E2E_ADMIN_EMAIL ?? 'admin@participa.test';
export const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD ?? '';

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@exemplu.ro`;
}

/** Fails the test on any console error or uncaught page error. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** axe-core at WCAG 2.2 AA: zero violations. */
export async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/account/login');
  await page.locator('#f-email').fill(email);
  await page.locator('#f-password').fill(password);
  await page.locator('form.form button[type=submit]').click();
  await expect(page).toHaveURL(/\/account$/);
}

/** Reads the newest mail to `to` from the outbox, as a platform admin, and returns its link. */
export async function linkFromOutbox(browser: Browser, to: string): Promise<string> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/admin/outbox');
  const mail = page.locator('li.mail', { has: page.locator('.mail-to', { hasText: to }) }).first();
  await expect(mail).toBeVisible();
  const body = await mail.locator('.mail-body').innerText();
  await ctx.close();
  const m = body.match(/https?:\/\/\S+token=\S+/);
  if (!m) throw new Error(`no link in mail to ${to}: ${body}`);
  return new URL(m[0]).pathname + new URL(m[0]).search;
}

export async function register(page: Page, name: string, email: string, password: string) {
  await page.goto('/account/register');
  await page.locator('#f-display_name').fill(name);
  await page.locator('#f-email').fill(email);
  await page.locator('#f-password').fill(password);
  await page.locator('form.form button[type=submit]').click();
  await expect(page).toHaveURL(/\/account\/check-email$/);
}
