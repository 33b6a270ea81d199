import { test, expect } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, expectAccessible, signIn, watchConsole } from './helpers';

const PUBLIC_PAGES = [
  '/', '/about', '/organisations', '/account/register', '/account/login', '/account/forgot', '/account/forgot?sent=1',
  '/account/check-email', '/account/verify?token=x', '/account/verified', '/account/reset?token=x', '/account', '/no-such-page',
];
const ADMIN_PAGES = ['/account', '/account/delete', '/admin', '/admin/outbox', '/admin/newsletter', '/account?saved=profile', '/organisations/grupul-dizabil-eu-vrancea'];

for (const lang of ['ro', 'en']) {
  test(`every public page passes axe with zero violations (${lang})`, async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: 'lang', value: lang, url: baseURL! }]);
    const errors = watchConsole(page);
    for (const path of PUBLIC_PAGES) {
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expectAccessible(page, `${path} (${lang})`);
    }
    expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
  });

  test(`signed-in and admin pages pass axe with zero violations (${lang})`, async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: 'lang', value: lang, url: baseURL! }]);
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    for (const path of ADMIN_PAGES) {
      await page.goto(path);
      await expectAccessible(page, `${path} (${lang})`);
    }
  });
}
