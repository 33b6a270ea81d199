import { test, expect } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, expectAccessible, linkFromOutbox, register, signIn, uniqueEmail, watchConsole } from './helpers';

const PASSWORD = 'parola-buna-7';

test('a resident registers, verifies by e-mail, edits the profile, downloads the data and deletes the account', async ({ page, browser }) => {
  const errors = watchConsole(page);
  const email = uniqueEmail('ana');
  await register(page, 'Ana Popescu', email, PASSWORD);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Verificați-vă e-mailul');

  const link = await linkFromOutbox(browser, email);
  await page.goto(link);
  await page.getByRole('button', { name: 'Confirm adresa' }).click();
  await expect(page).toHaveURL(/\/account\/verified$/);

  await signIn(page, email, PASSWORD);
  await page.locator('#f-locality').fill('Focșani');
  await page.locator('#f-county').fill('Vrancea');
  await page.getByRole('button', { name: 'Salvați profilul' }).click();
  await expect(page.getByRole('status')).toHaveText('Profilul a fost salvat.');
  await expect(page.locator('#f-locality')).toHaveValue('Focșani');
  await expectAccessible(page, 'profile (signed in)');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Descărcați datele mele' }).click()]);
  const path = await download.path();
  const data = JSON.parse(require('fs').readFileSync(path, 'utf8'));
  expect(data.account.email).toBe(email);
  expect(data.account.locality).toBe('Focșani');

  await page.getByRole('link', { name: 'Ștergeți contul' }).click();
  await expectAccessible(page, 'delete account');
  await page.locator('#f-password').fill(PASSWORD);
  await page.locator('#f-confirm').fill('ȘTERGE');
  await page.getByRole('button', { name: 'Ștergeți definitiv contul' }).click();
  await expect(page.getByRole('status')).toContainText('Contul a fost șters');

  // The account is gone: signing in fails with a message next to the password.
  await page.goto('/account/login');
  await page.locator('#f-email').fill(email);
  await page.locator('#f-password').fill(PASSWORD);
  await page.locator('form.form button[type=submit]').click();
  await expect(page.locator('#f-password-err')).toHaveText(/nu sunt corecte/);
  expect(errors).toEqual([]);
});

test('sign-in is rate limited with a clear "try again" message', async ({ page }) => {
  const email = uniqueEmail('limit');
  await register(page, 'Limit Test', email, PASSWORD);
  for (let i = 0; i < 5; i++) {
    await page.goto('/account/login');
    await page.locator('#f-email').fill(email);
    await page.locator('#f-password').fill('parola-gresita-1');
    await page.locator('form.form button[type=submit]').click();
    await expect(page.locator('#f-password-err')).toBeVisible();
  }
  await page.goto('/account/login');
  await page.locator('#f-email').fill(email);
  await page.locator('#f-password').fill(PASSWORD);
  await page.locator('form.form button[type=submit]').click();
  await expect(page.getByRole('alert')).toContainText(/Prea multe încercări\. Încercați din nou peste (un minut|\d+ (de )?minute)/);
  // What was typed is still there.
  await expect(page.locator('#f-email')).toHaveValue(email);
});

test('the language switch changes every string and is remembered', async ({ page }) => {
  await page.goto('/about');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ro');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Despre Participa');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/about$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('About Participa');
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Public participation, one click away');
  await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');
});

test('the whole site can be used by keyboard: skip link, navigation, form', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Salt la conținut' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  // Reach the registration form by keyboard alone and submit it empty: messages appear, focusable.
  await page.goto('/account/register');
  await page.locator('#f-display_name').focus();
  await page.keyboard.type('Ion');
  await page.keyboard.press('Tab');
  await page.keyboard.type('ion@');
  await page.keyboard.press('Tab');
  await page.keyboard.type('scurt');
  await page.keyboard.press('Enter');
  await expect(page.locator('#f-email-err')).toBeVisible();
  await expect(page.locator('#f-display_name')).toHaveValue('Ion');
  await expect(page.locator('#f-email')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page, 'register form with errors');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('registration works and bad input keeps what was typed', async ({ page, browser }) => {
    const email = uniqueEmail('nojs');
    await page.goto('/account/register');
    await page.locator('#f-display_name').fill('Maria Ionescu');
    await page.locator('#f-email').fill('maria@');
    await page.locator('#f-password').fill(PASSWORD);
    await page.locator('form.form button[type=submit]').click();
    await expect(page.locator('#f-email-err')).toHaveText(/nu pare corectă/);
    await expect(page.locator('#f-display_name')).toHaveValue('Maria Ionescu');
    await expect(page.locator('#f-email')).toHaveValue('maria@');
    await expect(page.locator('#f-password')).toHaveValue('');

    await page.locator('#f-email').fill(email);
    await page.locator('#f-password').fill(PASSWORD);
    await page.locator('form.form button[type=submit]').click();
    await expect(page).toHaveURL(/\/account\/check-email$/);
    const link = await linkFromOutbox(browser, email);
    await page.goto(link);
    await page.getByRole('button', { name: 'Confirm adresa' }).click();
    await expect(page).toHaveURL(/\/account\/verified$/);
    await signIn(page, email, PASSWORD);
    await expect(page.getByText(email)).toBeVisible();
  });
});

test('an admin grants a role from the admin page and the person sees it', async ({ page, browser }) => {
  const email = uniqueEmail('mod');
  await register(page, 'Mihai Moderator', email, PASSWORD);
  const admin = await browser.newContext();
  const ap = await admin.newPage();
  await signIn(ap, ADMIN_EMAIL, ADMIN_PASSWORD);
  await ap.goto('/admin');
  await ap.locator('#f-email').fill(email);
  await ap.locator('#f-role').selectOption('moderator');
  await ap.getByRole('button', { name: 'Acordați rolul' }).click();
  await expect(ap.getByRole('status')).toHaveText('Rolurile au fost actualizate.');
  await ap.goto('/admin?q=' + encodeURIComponent(email));
  await expect(ap.getByRole('row', { name: new RegExp('Mihai Moderator') })).toContainText('Moderator');
  await admin.close();

  await signIn(page, email, PASSWORD);
  await expect(page.getByRole('region', { name: 'Rolurile mele' }).or(page.locator('section', { hasText: 'Rolurile mele' }))).toContainText('Moderator');
});

test('pages reflow at 320 px without horizontal scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  for (const path of ['/', '/about', '/organisations', '/account/register', '/account/login']) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});
