import { test, expect } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, expectAccessible, signIn, watchConsole } from './helpers';

// The footer's links, as a person reads them, and the heading each page opens with.
const PAGES = {
  ro: [
    ['Confidențialitate', '/privacy', 'Informare privind protecția datelor personale'],
    ['Termeni de utilizare', '/terms', 'Termeni de utilizare'],
    ['Cookie-uri', '/cookies', 'Cookie-uri și stocare locală'],
    ['Accesibilitate', '/accessibility', 'Declarație de accesibilitate'],
    ['Cod sursă', '/source', 'Codul sursă'],
  ],
  en: [
    ['Privacy', '/privacy', 'Privacy notice'],
    ['Terms of use', '/terms', 'Terms of use'],
    ['Cookies', '/cookies', 'Cookies and local storage'],
    ['Accessibility', '/accessibility', 'Accessibility statement'],
    ['Source code', '/source', 'Source code'],
  ],
} as const;

for (const lang of ['ro', 'en'] as const) {
  test(`the footer reaches every legal page, each passes axe (${lang})`, async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: 'lang', value: lang, url: baseURL! }]);
    const errors = watchConsole(page);
    for (const [link, path, heading] of PAGES[lang]) {
      await page.goto('/');
      const footerLinks = page.getByRole('contentinfo').getByRole('navigation');
      await footerLinks.getByRole('link', { name: link, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`${path}$`));
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
      await expect(page.locator('main')).not.toContainText('undefined');
      await expectAccessible(page, `${path} (${lang})`);
    }
    // The demo runs with the example operator: the privacy notice says plainly it is an example.
    await page.goto('/privacy');
    await expect(page.locator('main .warning').first()).toContainText(
      lang === 'ro' ? 'instalare demonstrativă' : 'demonstration install',
    );
    expect(errors).toEqual([]);
  });
}

test('a barrier is reported by keyboard: the message stays next to the field, then it reaches the admins', async ({ page, browser }) => {
  const errors = watchConsole(page);
  await page.goto('/accessibility');
  const description = `Butonul de zoom al hărții nu are nume (${Date.now()}).`;

  // Too short: sent by keyboard, the message appears next to the field and the typed text stays.
  await page.locator('#f-name').focus();
  await page.keyboard.type('Ana Ionescu');
  await page.keyboard.press('Tab');
  await expect(page.locator('#f-email')).toBeFocused();
  await page.keyboard.type('ana@exemplu.ro');
  await page.keyboard.press('Tab');
  await expect(page.locator('#f-page')).toBeFocused();
  await page.keyboard.type('/map');
  await page.keyboard.press('Tab');
  await expect(page.locator('#f-description')).toBeFocused();
  await page.keyboard.type('scurt');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Trimiteți sesizarea' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#f-description-err')).toContainText('cel puțin 10 caractere');
  await expect(page.locator('#f-description')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#f-description')).toHaveValue('scurt');
  await expect(page.locator('#f-name')).toHaveValue('Ana Ionescu');
  await expect(page.locator('#f-email')).toHaveValue('ana@exemplu.ro');
  await expectAccessible(page, 'accessibility feedback with an error');

  await page.locator('#f-description').focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(description);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.locator('.notice')).toContainText('Sesizarea a ajuns la administratorii platformei');
  await expectAccessible(page, 'accessibility feedback sent');
  expect(errors).toEqual([]);

  // The platform's admin got it, with what was typed.
  const ctx = await browser.newContext();
  const admin = await ctx.newPage();
  await signIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
  await admin.goto('/admin/outbox');
  const mail = admin.locator('li.mail', { hasText: description }).first();
  await expect(mail.locator('.mail-to')).toHaveText(ADMIN_EMAIL);
  await expect(mail.locator('.mail-subject')).toHaveText(/accessibility feedback|accesibilitate/);
  await expect(mail.locator('.mail-body')).toContainText('ana@exemplu.ro');
  await ctx.close();
});
