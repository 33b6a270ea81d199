import { test, expect, Page, Browser } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, expectAccessible, linkFromOutbox, register, signIn, uniqueEmail } from './helpers';

// An 8×8 PNG: enough for the server to decode and re-encode.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGOQi1qAFTEMLQkAOd1GAUE19XUAAAAASUVORK5CYII=',
  'base64',
);

async function verifiedResident(page: Page, browser: Browser, name: string): Promise<string> {
  const email = uniqueEmail('rez');
  await register(page, name, email, 'parola-buna-7');
  await page.goto(await linkFromOutbox(browser, email));
  await page.getByRole('button', { name: 'Confirm adresa' }).click();
  await expect(page).toHaveURL(/\/account\/verified$/);
  await signIn(page, email, 'parola-buna-7');
  return email;
}

test('an official asks for the role from the authority page and an admin approves it', async ({ page, browser }) => {
  const name = `Ion Funcționar ${Date.now()}`;
  await verifiedResident(page, browser, name);
  await page.goto('/authorities/primaria-municipiului-focsani');
  await page.getByLabel('Funcția').fill('Consilier, compartimentul relații cu publicul');
  await page.getByLabel('Adresa de e-mail de serviciu').fill('nu-e-adresa');
  await page.getByRole('button', { name: 'Cer rolul de funcționar' }).click();
  // Bad address: a message next to the field, the position kept.
  await expect(page.locator('#f-work_email-err')).toBeVisible();
  await expect(page.getByLabel('Funcția')).toHaveValue('Consilier, compartimentul relații cu publicul');
  await expectAccessible(page, 'authority page with the request form and an error');
  const work = `ion.${Date.now()}.${Math.floor(Math.random() * 1e6)}@focsani.info`;
  await page.getByLabel('Adresa de e-mail de serviciu').fill(work);
  await page.getByRole('button', { name: 'Cer rolul de funcționar' }).click();
  await expect(page.getByRole('status')).toContainText('Cererea a fost trimisă');
  await expect(page.getByText('Cererea dumneavoastră așteaptă aprobarea unui administrator.')).toBeVisible();

  const admin = await browser.newContext();
  const ap = await admin.newPage();
  await signIn(ap, ADMIN_EMAIL, ADMIN_PASSWORD);
  await ap.goto('/admin/officials');
  const card = ap.locator('article.official-request', { hasText: name });
  await expect(card).toContainText(work);
  // The work address is not proven yet: no badge, no approval.
  await expect(card).toContainText('adresa de serviciu nu e confirmată încă');
  await expect(card.getByRole('button', { name: `Aprobați ${name}` })).toHaveCount(0);
  await expectAccessible(ap, 'official requests, unconfirmed');

  // The link mailed to the work address proves it.
  await page.goto(await linkFromOutbox(browser, work));
  await expectAccessible(page, 'work address confirmation');
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(page.getByRole('status').first()).toContainText('Adresa de serviciu a fost confirmată');

  await ap.goto('/admin/officials');
  await expect(card).toContainText('pe domeniul instituției');
  await card.getByRole('button', { name: `Aprobați ${name}` }).click();
  await expect(ap.getByRole('status')).toContainText('Decizia a fost înregistrată');
  await expect(ap.locator('article.official-request', { hasText: name })).toHaveCount(0);
  await admin.close();

  await page.goto('/authorities/primaria-municipiului-focsani');
  await expect(page.getByText('Aveți rolul de funcționar pentru această instituție.')).toBeVisible();
});

test('a resident switches off reminders in the notification centre, by keyboard', async ({ page, browser }) => {
  await verifiedResident(page, browser, 'Dana Notificări');
  await page.goto('/account');
  await page.getByRole('link', { name: 'Alegeți ce e-mailuri primiți' }).click();
  await expect(page).toHaveURL(/\/account\/notifications$/);
  const reminder = page.getByLabel('Memento cu o zi înainte de evenimentele la care sunt înscris(ă)');
  await expect(reminder).toBeChecked();
  await reminder.focus();
  await page.keyboard.press('Space');
  await expect(reminder).not.toBeChecked();
  await page.getByRole('button', { name: 'Salvați setările' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('au fost salvate');
  await expect(page.getByLabel('Memento cu o zi înainte de evenimentele la care sunt înscris(ă)')).not.toBeChecked();
  await expectAccessible(page, 'notification centre');
});

test('an organisation admin completes the profile and uploads a logo with its alt text', async ({ page }) => {
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/organisations/grupul-dizabil-eu-vrancea');
  await page.getByRole('link', { name: 'Editați profilul' }).click();
  await expect(page).toHaveURL(/\/edit$/);
  await page.getByLabel('Rețele sociale și alte legături').fill('javascript:alert(1)');
  await page.getByLabel('Înființată în').fill('2035');
  await page.getByRole('button', { name: 'Salvați profilul' }).click();
  await expect(page.locator('#f-social_links-err')).toBeVisible();
  await expect(page.locator('#f-founding_year-err')).toBeVisible();
  await expectAccessible(page, 'profile form with errors');
  await page.getByLabel('Rețele sociale și alte legături').fill('https://www.facebook.com/dizabil.vrancea');
  await page.getByLabel('Înființată în').fill('2016');
  await page.getByLabel('Unde activează').fill('Focșani, Adjud, Mărășești');
  await page.getByRole('button', { name: 'Salvați profilul' }).click();
  await expect(page).toHaveURL(/saved=1/);
  await expect(page.locator('.facts')).toContainText('2016');
  await expect(page.locator('.facts')).toContainText('Adjud');
  await expect(page.getByRole('link', { name: 'facebook.com/dizabil.vrancea' })).toBeVisible();

  await page.getByRole('link', { name: 'Editați profilul' }).click();
  // A file that is not an image is refused by its content, next to the field.
  await page.getByLabel('Fișierul siglei').setInputFiles({ name: 'sigla.png', mimeType: 'image/png', buffer: Buffer.from('<svg/>') });
  await page.getByLabel('Text alternativ pentru siglă').fill('Sigla grupului DizAbil.Eu');
  await page.getByRole('button', { name: 'Încărcați sigla' }).click();
  await expect(page.locator('#f-logo-err')).toContainText('nu este o imagine');
  await page.getByLabel('Fișierul siglei').setInputFiles({ name: 'sigla.png', mimeType: 'image/png', buffer: PNG });
  await page.getByLabel('Text alternativ pentru siglă').fill('Sigla grupului DizAbil.Eu');
  await page.getByRole('button', { name: 'Încărcați sigla' }).click();
  await expect(page).toHaveURL(/\/organisations\/grupul-dizabil-eu-vrancea\?saved=1/);
  await expect(page.getByRole('img', { name: 'Sigla grupului DizAbil.Eu' })).toBeVisible();
  await expectAccessible(page, 'organisation page with logo');
});

for (const lang of ['ro', 'en']) {
  test(`notification centre, profile editor and officials admin pass axe (${lang})`, async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: 'lang', value: lang, url: baseURL! }]);
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    for (const path of ['/account/notifications', '/organisations/grupul-dizabil-eu-vrancea/edit', '/admin/officials', '/authorities/primaria-municipiului-focsani']) {
      await page.goto(path);
      await expect(page.locator('h1')).toBeVisible();
      await expectAccessible(page, `${path} (${lang})`);
    }
  });
}
