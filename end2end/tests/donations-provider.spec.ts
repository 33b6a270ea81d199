import { test, expect, Page } from '@playwright/test';
import { expectAccessible, uniqueEmail, watchConsole } from './helpers';

// A second Participa server configured with PAYMENTS=stripe against a fake Stripe on another origin
// (its own port): the donation form must lead there and back, with and without JavaScript — the
// CSP's form-action once stopped exactly this. Started by server/scripts/test.sh.
const APP = process.env.E2E_STRIPE_APP ?? '';
const PROVIDER = process.env.E2E_STRIPE_ORIGIN ?? '';
const CAMPAIGN = '/campaigns/rampe-la-institutiile-din-focsani';

async function giveThroughTheProvider(page: Page, name: string) {
  const email = uniqueEmail('card');
  await page.goto(`${APP}${CAMPAIGN}/donate`);
  await expect(page.locator('.test-mode')).toHaveCount(0);
  await page.locator('label[for=amount-other]').click();
  await page.locator('#f-custom_amount').fill('42');
  await page.locator('#f-name').fill(name);
  await page.locator('#f-email').fill(email);
  await page.locator('#f-consent').check();
  await page.locator('form.donate-form button[type=submit]').click();
  // The provider's own page, on its own origin.
  await expect(page).toHaveURL(new RegExp(`^${PROVIDER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/pay/`));
  expect(new URL(page.url()).origin).not.toEqual(new URL(APP).origin);
  await expect(page.locator('#amount')).toContainText('42,');
  await page.locator('#pay').click();
  // Back on Participa, paid (the provider's signed webhook arrived before the redirect).
  await expect(page).toHaveURL(new RegExp(`^${new URL(APP).origin}/donate/return/`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mulțumim!', { timeout: 20_000 });
  await expect(page.getByRole('status').first()).toContainText('42,00 lei');
}

test.describe('card gifts through a provider on another origin', () => {
  test.skip(!APP || !PROVIDER, 'needs the second server and the fake provider (server/scripts/test.sh)');

  test('a donor on a phone gives by card through the provider and comes back thanked', async ({ page }, info) => {
    test.skip(info.project.name !== 'phone', 'the donation flow is the phone scenario');
    const errors = watchConsole(page);
    await giveThroughTheProvider(page, 'Ioana Card');
    await expectAccessible(page, 'return page after the provider');
    expect(errors).toEqual([]);
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });
    test('the plain form leads to the provider and back', async ({ page }, info) => {
      test.skip(info.project.name !== 'phone', 'the donation flow is the phone scenario');
      await giveThroughTheProvider(page, 'Radu Fara Script');
    });
  });
});
