import { test, expect, Page } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, expectAccessible, linkFromOutbox, signIn, uniqueEmail, watchConsole } from './helpers';

const CAMPAIGN = '/campaigns/rampe-la-institutiile-din-focsani';

/** Donates through the form and the test provider's hosted page; returns the return page URL. */
async function donate(page: Page, opts: { preset?: string; custom?: string; monthly?: boolean; email: string; name: string; outcome: string; lang?: string }) {
  const en = opts.lang === 'en';
  await page.goto(`${CAMPAIGN}/donate`);
  if (opts.preset) await page.locator(`label[for=amount-${opts.preset}]`).click();
  if (opts.custom) {
    await page.locator('label[for=amount-other]').click();
    await page.locator('#f-custom_amount').fill(opts.custom);
  }
  if (opts.monthly) await page.getByLabel(en ? 'Monthly' : 'Lunar', { exact: true }).check();
  await page.locator('#f-name').fill(opts.name);
  await page.locator('#f-email').fill(opts.email);
  await page.locator('#f-message').fill('Succes cu rampele!');
  await page.locator('#f-consent').check();
  await page.locator('form.donate-form button[type=submit]').click();
  await expect(page).toHaveURL(/\/payments\/test\/checkout\//);
  await expect(page.locator('.test-mode')).toBeVisible();
  await page.locator(`#o-${opts.outcome}`).check();
  await page.locator('form button[type=submit]').click();
  await expect(page).toHaveURL(/\/donate\/return\//);
}

async function raisedText(page: Page) {
  await page.goto(CAMPAIGN);
  return (await page.locator('#progress-label').innerText()).trim();
}

test('a donor on a phone gives 50 lei a month anonymously, sees the ledger, then stops the gift from the e-mail', async ({ page, browser }, info) => {
  test.skip(info.project.name !== 'phone', 'the donation flow is the phone scenario');
  const errors = watchConsole(page);
  const before = await raisedText(page);
  const rowsBefore = await page.locator('table.ledger tbody tr').count();
  await expect(page.getByRole('progressbar')).toBeVisible();
  await expectAccessible(page, 'campaign page');
  await page.getByRole('link', { name: 'Donați', exact: true }).click();
  await expect(page).toHaveURL(/\/donate$/);
  await expectAccessible(page, 'donate page');

  const email = uniqueEmail('donator');
  await donate(page, { preset: '5000', monthly: true, email, name: 'Maria Donatoare', outcome: 'success' });
  // "Processing" until the signed webhook arrives; the page refreshes itself.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mulțumim!', { timeout: 20_000 });
  await expect(page.getByRole('status').first()).toContainText('50,00 lei');
  await expectAccessible(page, 'return page (thank you)');

  const after = await raisedText(page);
  expect(after).not.toEqual(before);
  await expect(page.locator('table.ledger tbody tr')).toHaveCount(rowsBefore + 1);
  const newest = page.locator('table.ledger tbody tr').first();
  await expect(newest).toContainText('Anonim');
  await expect(newest).toContainText('Lunar');
  await expect(newest).toContainText('50,00 lei');
  await expect(page.locator('.wall')).not.toContainText('Maria Donatoare');

  // The receipt in the outbox carries the signed link that manages the gift, without an account.
  const manage = await linkFromOutbox(browser, email);
  expect(manage).toContain('/donate/manage?token=');
  await page.goto(manage);
  await expect(page.locator('.gift-status')).toHaveText('Activă');
  await expectAccessible(page, 'manage page');
  await page.getByRole('button', { name: 'Opriți donația lunară' }).click();
  await expect(page.getByRole('status')).toContainText('Donația lunară a fost oprită');
  await expect(page.locator('.gift-status')).toHaveText('Oprită');
  expect(errors).toEqual([]);
});

test('a declined card keeps the form filled for a retry', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'the donation flow is the phone scenario');
  const email = uniqueEmail('refuzat');
  await donate(page, { custom: '75', email, name: 'Dan Refuzat', outcome: 'decline' });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Plata nu a reușit', { timeout: 20_000 });
  await expectAccessible(page, 'return page (declined)');
  await page.getByRole('link', { name: 'Încercați din nou' }).click();
  await expect(page.locator('#f-name')).toHaveValue('Dan Refuzat');
  await expect(page.locator('#f-email')).toHaveValue(email);
  await expect(page.locator('#f-custom_amount')).toHaveValue('75');
  await expect(page.locator('#amount-other')).toBeChecked();
  await expect(page.locator('#f-message')).toHaveValue('Succes cu rampele!');
});

for (const lang of ['ro', 'en']) {
  test(`campaign, donate, return and manage pages pass axe (${lang})`, async ({ page, context, baseURL, browser }, info) => {
    await context.addCookies([{ name: 'lang', value: lang, url: baseURL! }]);
    for (const path of ['/campaigns', '/campaigns?locality=Focșani', CAMPAIGN, `${CAMPAIGN}/donate`, '/organisations/grupul-dizabil-eu-vrancea', '/donate/manage?token=x']) {
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expectAccessible(page, `${path} (${lang})`);
    }
    if (info.project.name !== 'phone') return;
    const email = uniqueEmail(`axe-${lang}`);
    await page.goto(`${CAMPAIGN}/donate`);
    // A form sent without consent comes back with the message and every value kept.
    await page.locator('#f-name').fill('Ana Axe');
    await page.locator('form.donate-form button[type=submit]').click();
    await expect(page.locator('#f-consent-err')).toBeVisible();
    await expect(page.locator('#f-name')).toHaveValue('Ana Axe');
    await expectAccessible(page, `donate form with errors (${lang})`);
    await donate(page, { preset: '2500', monthly: true, email, name: 'Ana Axe', outcome: 'later', lang });
    await expectAccessible(page, `return page, processing (${lang})`);
    await expect(page.locator('.donation-return.status-paid')).toBeVisible({ timeout: 20_000 });
    await expectAccessible(page, `return page, paid (${lang})`);
    await page.goto(await linkFromOutbox(browser, email));
    await expect(page.locator('.gift-status')).toBeVisible();
    await expectAccessible(page, `manage page (${lang})`);
  });
}

test('an organisation admin sees the dashboard, hides a wall entry and exports CSV', async ({ page }, info) => {
  test.skip(info.project.name !== 'desktop', 'one run is enough');
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/organisations/grupul-dizabil-eu-vrancea/donations');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Donații primite');
  await expectAccessible(page, 'donations dashboard');
  await page.getByLabel('Stare').selectOption('paid');
  await page.getByRole('button', { name: 'Căutați' }).click();
  await expect(page).toHaveURL(/status=paid/);
  const row = page.locator('table.donations-table tbody tr', { hasText: 'Radu Petrescu' });
  await row.getByRole('button', { name: 'Ascundeți de pe peretele donatorilor' }).click();
  await expect(page.getByRole('status')).toBeVisible();
  await page.goto(CAMPAIGN);
  await expect(page.locator('.wall')).not.toContainText('Radu Petrescu');
  // Put it back, so the scenario can run again on the same data.
  await page.goto('/organisations/grupul-dizabil-eu-vrancea/donations?status=paid');
  await page.locator('table.donations-table tbody tr', { hasText: 'Radu Petrescu' }).getByRole('button', { name: 'Arătați din nou pe perete' }).click();
  await expect(page.getByRole('status')).toBeVisible();
  const csv = await page.request.get('/organisations/grupul-dizabil-eu-vrancea/donations.csv');
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain('Radu Petrescu');
  await page.goto('/organisations/grupul-dizabil-eu-vrancea');
  await page.getByRole('link', { name: 'Campanie nouă' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Campanie nouă');
  await expectAccessible(page, 'new campaign form');
  await page.goto(`${CAMPAIGN}/edit`);
  await expectAccessible(page, 'campaign editor');
});
