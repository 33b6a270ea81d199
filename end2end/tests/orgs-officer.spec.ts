import { test, expect } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, expectAccessible, signIn, watchConsole } from './helpers';

// An authority no other spec edits: its contact changes here.
const AUTHORITY = '/authorities/consiliul-judetean-iasi';

test('an admin fills the transparency officer and the registry address by keyboard and sees them on the authority page', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'the phone scenario');
  const errors = watchConsole(page);
  const name = `Maria Ionescu ${Date.now()}`;
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(AUTHORITY);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Consiliul Județean Iași');
  const edit = page.getByRole('link', { name: 'Modificați datele de contact' });
  await edit.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/authorities\/consiliul-judetean-iasi\/contact$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Responsabilul pentru transparență și registratura');
  await expectAccessible(page, 'authority contact form');

  // Keyboard only: each field emptied and typed, Tab to the next, Enter on the button.
  const typeInto = async (label: string, text: string) => {
    await expect(page.getByLabel(label, { exact: true })).toBeFocused();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(text);
  };
  await page.getByLabel('Numele responsabilului', { exact: true }).focus();
  await typeInto('Numele responsabilului', name);
  await page.keyboard.press('Tab');
  await typeInto('E-mailul responsabilului', 'maria.ionescu@');
  await page.keyboard.press('Tab');
  await typeInto('Telefonul responsabilului', '+40 (232) 235-100');
  await page.keyboard.press('Tab');
  await typeInto('Adresa registraturii', 'registratura@icc.ro');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Salvați datele de contact' })).toBeFocused();
  await page.keyboard.press('Enter');

  // A bad address: the message next to the field, everything typed kept.
  await expect(page.locator('#f-officer_email-err')).toContainText('Adresa de e-mail nu pare corectă');
  await expect(page.getByLabel('Numele responsabilului', { exact: true })).toHaveValue(name);
  await expect(page.getByLabel('Telefonul responsabilului', { exact: true })).toHaveValue('+40 (232) 235-100');
  await expect(page.getByLabel('Adresa registraturii', { exact: true })).toHaveValue('registratura@icc.ro');
  await expectAccessible(page, 'authority contact form with an error');

  await page.getByLabel('E-mailul responsabilului', { exact: true }).focus();
  await typeInto('E-mailul responsabilului', 'maria.ionescu@icc.ro');
  await page.getByRole('button', { name: 'Salvați datele de contact' }).focus();
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(/\/authorities\/consiliul-judetean-iasi\?contact_saved=1$/);
  await expect(page.getByRole('status').filter({ hasText: 'Datele de contact au fost salvate.' })).toBeVisible();
  const facts = page.locator('.facts');
  await expect(facts).toContainText(name);
  await expect(facts.getByRole('link', { name: 'maria.ionescu@icc.ro' })).toHaveAttribute('href', 'mailto:maria.ionescu@icc.ro');
  await expect(facts.getByRole('link', { name: '+40 (232) 235-100' })).toHaveAttribute('href', 'tel:+40232235100');
  await expect(facts.getByRole('link', { name: 'registratura@icc.ro' })).toHaveAttribute('href', 'mailto:registratura@icc.ro');
  await expectAccessible(page, 'authority page with its contact');
  expect(errors).toEqual([]);
});

test('a visitor sees the contact but no way to edit it', async ({ page }) => {
  await page.goto(AUTHORITY);
  await expect(page.getByText('Responsabil transparență decizională')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Modificați datele de contact' })).toHaveCount(0);
  await page.goto(`${AUTHORITY}/contact`);
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.locator('#f-officer_name')).toHaveCount(0);
  await expectAccessible(page, 'authority contact page, signed out');
});

for (const lang of ['ro', 'en']) {
  test(`the authority contact form passes axe (${lang})`, async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: 'lang', value: lang, url: baseURL! }]);
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto(`${AUTHORITY}/contact`);
    await expect(page.locator('#f-officer_name')).toBeVisible();
    await expectAccessible(page, `${AUTHORITY}/contact (${lang})`);
  });
}
