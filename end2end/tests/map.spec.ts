import { test, expect, Page } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, expectAccessible, linkFromOutbox, register, signIn, uniqueEmail } from './helpers';

// A real 1×1 PNG for the photo uploads.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const FOCSANI = { latitude: 45.6965, longitude: 27.184 };

test.use({ geolocation: FOCSANI, permissions: ['geolocation'] });

async function placeId(page: Page, name: string): Promise<string> {
  await page.goto(`/map?q=${encodeURIComponent(name)}`);
  const href = await page.locator('.place-list a', { hasText: name }).first().getAttribute('href');
  return href!.split('/').pop()!;
}

async function tabTo(page: Page, selector: string, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.locator(selector).evaluate((el) => el === document.activeElement).catch(() => false)) return;
  }
  throw new Error(`never reached ${selector} by Tab`);
}

async function hydrated(page: Page) {
  await page.waitForLoadState('networkidle');
}

test.describe('accessibility map on a phone', () => {
  test.skip(({ isMobile }) => !isMobile, 'phone scenarios');

  test('nearest accessible institution through the list, keyboard only', async ({ page }) => {
    await page.goto('/map');
    await hydrated(page);
    await tabTo(page, '#rating');
    // Typing in a focused select picks the option that starts with the letters.
    await page.keyboard.type('Accesibil');
    await tabTo(page, 'button.near-me');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/lat=45\.69650.*sort=distance|sort=distance.*lat=45\.69650/);
    await expect(page).toHaveURL(/rating=yes/);
    await expect(page.locator('.result-count')).toHaveAttribute('aria-live', 'polite');
    // Skip the map, then the first result is the nearest accessible place.
    await tabTo(page, 'a.skip-map');
    await page.keyboard.press('Enter');
    const first = page.locator('.place-list > li').first();
    await expect(first.locator('.rating-yes')).toBeVisible();
    await expect(first.locator('.distance')).toBeVisible();
    const name = await first.locator('h3 a').innerText();
    await page.keyboard.press('Tab');
    await expect(first.locator('h3 a')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('h1')).toHaveText(name);
    await expect(page.locator('.lead .rating-yes')).toBeVisible();
  });

  test('report → confirm → petition → answer → fixed', async ({ page, browser, context }) => {
    test.setTimeout(180_000);
    // A resident registers and verifies.
    const email = uniqueEmail('rezident');
    await register(page, 'Ioana Rezident', email, 'Parola-buna-2026');
    await page.goto(await linkFromOutbox(browser, email));
    await page.getByRole('button', { name: 'Confirm adresa' }).click();
    await expect(page).toHaveURL(/\/account\/verified$/);
    await signIn(page, email, 'Parola-buna-2026');

    const id = await placeId(page, 'Muzeul Vrancei');
    await page.goto(`/map/places/${id}/report`);
    await hydrated(page);
    await page.locator('#f-problem').selectOption('entrance');
    await page.locator('#f-description').fill('Patru trepte la intrare, fără rampă.');
    await page.locator('#f-photo_1').setInputFiles({ name: 'intrare.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('#f-alt_1').fill('Treptele de la intrarea muzeului');
    // The connection drops while sending: the draft stays.
    await context.setOffline(true);
    await page.locator('#report-form button[type=submit]').click();
    await expect(page.locator('.draft-note')).toContainText(/Conexiunea|connection/);
    await context.setOffline(false);
    await page.reload();
    await hydrated(page);
    await expect(page.locator('#f-description')).toHaveValue('Patru trepte la intrare, fără rampă.');
    await expect(page.locator('#f-alt_1')).toHaveValue('Treptele de la intrarea muzeului');
    await expect(page.locator('#f-problem')).toHaveValue('entrance');
    // Files cannot survive a reload in any browser: attach the photo again and send.
    await page.locator('#f-photo_1').setInputFiles({ name: 'intrare.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('#report-form button[type=submit]').click();
    await expect(page).toHaveURL(/\/map\/reports\/\d+\?created=1/);
    const reportUrl = new URL(page.url()).pathname;
    await expect(page.locator('img[alt="Treptele de la intrarea muzeului"]')).toBeVisible();

    // The platform admin (a moderator) confirms; an official of the city hall is appointed.
    const staffCtx = await browser.newContext();
    const staff = await staffCtx.newPage();
    await signIn(staff, ADMIN_EMAIL, ADMIN_PASSWORD);
    await staff.goto(reportUrl);
    await staff.locator('form.act-form', { has: staff.locator('input[value=confirm]') }).locator('button').click();
    await expect(staff.locator('.state')).toHaveText(/Confirmat/);

    // The organisation downloads the petition (one PDF for many buildings) and records the filing.
    await staff.goto('/map/petition');
    const card = staff.locator('li.card', { hasText: 'Primăria Municipiului Focșani' }).first();
    const [download] = await Promise.all([staff.waitForEvent('download'), card.locator('a.button').click()]);
    const pdf = await download.path();
    const fs = await import('fs');
    expect(fs.readFileSync(pdf!).subarray(0, 5).toString()).toBe('%PDF-');
    await staff.goto(reportUrl);
    const send = staff.locator('form.act-form', { has: staff.locator('input[value=send]') });
    await send.locator('#f-registration_no').fill('7788/2026');
    await send.locator('#f-registered_on').fill(new Date().toISOString().slice(0, 10));
    await send.locator('button').click();
    await expect(staff.locator('.state')).toHaveText(/Trimis/);
    await expect(staff.locator('.facts')).toContainText('7788/2026');

    const officialEmail = uniqueEmail('functionar');
    const offCtx = await browser.newContext();
    const off = await offCtx.newPage();
    await register(off, 'Mihai Funcționar', officialEmail, 'Parola-buna-2026');
    await off.goto(await linkFromOutbox(browser, officialEmail));
    await off.getByRole('button', { name: 'Confirm adresa' }).click();
    await expect(off).toHaveURL(/\/account\/verified$/);
    await staff.goto('/admin');
    await staff.locator('#f-email').fill(officialEmail);
    await staff.locator('#f-role').selectOption('official');
    await staff.locator('#f-scope').selectOption({ label: 'Primăria Municipiului Focșani' });
    await staff.getByRole('button', { name: 'Acordă rolul' }).click();
    await expect(staff.getByRole('status')).toHaveText('Rolurile au fost actualizate.');
    await staffCtx.close();

    // The authority answers on the platform; the answer is on the public timeline.
    await signIn(off, officialEmail, 'Parola-buna-2026');
    await off.goto(reportUrl);
    const answer = off.locator('form.act-form', { has: off.locator('input[value=answer]') });
    await answer.locator('textarea').fill('Rampa va fi montată până la 1 martie.');
    await answer.locator('button').click();
    await expect(off.locator('.timeline')).toContainText('Rampa va fi montată până la 1 martie.');
    await offCtx.close();

    // The resident confirms it is fixed, with a photo.
    await page.goto(reportUrl);
    await page.locator('#f-photo_1').setInputFiles({ name: 'rampa.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('#f-alt_1').fill('Rampa nouă la intrare');
    await page.locator('form.act-form button[type=submit]').last().click();
    await expect(page).toHaveURL(/done=fixed/);
    await expect(page.locator('.state')).toHaveText(/Rezolvat/);
    await expect(page.locator('img[alt="Rampa nouă la intrare"]')).toBeVisible();
  });
});

for (const lang of ['ro', 'en']) {
  test(`map pages pass axe with zero violations (${lang})`, async ({ page, context, baseURL }) => {
    test.setTimeout(120_000);
    await context.addCookies([{ name: 'lang', value: lang, url: baseURL! }]);
    await page.goto('/map');
    const id = await placeId(page, 'Muzeul Vrancei');
    const pages = ['/map', '/map?need_step_free=1&sort=rating', `/map/places/${id}`, `/map/places/${id}/poster`, '/map/stats', '/map/report'];
    await page.goto('/map?reports=1');
    const withReports = await page.locator('.place-list h3 a').first().getAttribute('href');
    await page.goto(withReports!);
    const reportHref = await page.locator('.report-list a').first().getAttribute('href');
    pages.push(reportHref!);
    for (const path of pages) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expectAccessible(page, `${path} (${lang})`);
    }
    // Signed in: the report and audit forms, petitions, import.
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    for (const path of [`/map/places/${id}/report`, `/map/places/${id}/audit`, '/map/petition', '/map/import', reportHref!]) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await expectAccessible(page, `${path} signed in (${lang})`);
    }
  });
}
