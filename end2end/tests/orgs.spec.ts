import { test, expect } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, expectAccessible, linkFromOutbox, register, signIn, uniqueEmail } from './helpers';

test('a resident finds the Focșani groups working on accessibility, typing without diacritics', async ({ page }) => {
  await page.goto('/organisations');
  await page.getByRole('searchbox', { name: 'Căutați organizații' }).fill('Focsani');
  await page.getByLabel('Domenii').selectOption('disability');
  await page.getByRole('button', { name: 'Căutați' }).click();
  await expect(page).toHaveURL(/q=Focsani/);
  await expect(page.locator('.result-count')).toHaveText('2 organizații');
  const names = page.locator('.card-title');
  await expect(names).toHaveText(['Asociația de Tineret „Eu, tu și ei” Focșani', 'Grupul DizAbil.Eu Vrancea']);
  await expectAccessible(page, 'catalogue with filters');
  await names.filter({ hasText: 'DizAbil' }).getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Grupul DizAbil.Eu Vrancea');
  await expect(page.locator('.facts')).toContainText('Dizabilitate și accesibilitate');
  await expectAccessible(page, 'organisation page');
});

test('someone registers an organisation, an admin verifies it and it joins the catalogue', async ({ page, browser }) => {
  const email = uniqueEmail('ong');
  const name = `Asociația Rampe ${Date.now()}`;
  await register(page, 'Irina Ong', email, 'parola-buna-7');
  await page.goto(await linkFromOutbox(browser, email));
  await page.getByRole('button', { name: 'Confirm adresa' }).click();
  await expect(page).toHaveURL(/\/account\/verified$/);
  await signIn(page, email, 'parola-buna-7');

  await page.goto('/organisations/new');
  await page.getByLabel('Numele organizației').fill(name);
  await page.getByLabel('Formă juridică').selectOption('association');
  await page.getByLabel('Cod fiscal (CUI)').fill('18547291');
  await page.getByLabel('Localitate').fill('Mărășești');
  await page.getByLabel('Dizabilitate și accesibilitate').check();
  await page.getByLabel('Descriere scurtă').fill('Cerem rampe la toate instituțiile din Mărășești.');
  await page.getByRole('button', { name: 'Înregistrați organizația' }).click();
  // The checksum is wrong: a message next to the field; nothing typed is lost.
  await expect(page.locator('#f-cui-err')).toContainText('cifra de control');
  await expect(page.getByLabel('Numele organizației')).toHaveValue(name);
  await expect(page.getByLabel('Dizabilitate și accesibilitate')).toBeChecked();
  await expectAccessible(page, 'organisation form with errors');
  await page.getByLabel('Cod fiscal (CUI)').fill('18547290');
  await page.getByRole('button', { name: 'Înregistrați organizația' }).click();
  await expect(page.getByRole('status')).toContainText('așteaptă verificarea');

  const admin = await browser.newContext();
  const ap = await admin.newPage();
  await signIn(ap, ADMIN_EMAIL, ADMIN_PASSWORD);
  await ap.goto(page.url().split('?')[0]);
  await ap.getByRole('button', { name: 'Verificați și publicați' }).click();
  await expect(ap.locator('.tag.verified')).toBeVisible();
  await admin.close();

  await page.goto('/organisations?q=' + encodeURIComponent('Rampe'));
  await expect(page.locator('.card-title')).toContainText([name]);
});

for (const lang of ['ro', 'en']) {
  test(`organisation and authority pages pass axe (${lang})`, async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: 'lang', value: lang, url: baseURL! }]);
    for (const path of ['/organisations', '/organisations?page=2', '/organisations/grupul-dizabil-eu-vrancea', '/organisations/new', '/authorities', '/authorities/primaria-municipiului-focsani', '/events', '/events/instruire-consultari-publice-legea-52', '/stories', '/stories/rampa-de-la-biblioteca-focsani', '/newsletter', '/newsletter/confirm?token=x', '/newsletter/preferences?token=1.00', '/organisations/invite?token=x']) {
      await page.goto(path);
      await expectAccessible(page, `${path} (${lang})`);
    }
  });
}

test('an organisation admin invites a member, who accepts from the e-mail in the outbox', async ({ page, browser }) => {
  const email = uniqueEmail('invitat');
  const admin = await browser.newContext();
  const ap = await admin.newPage();
  await signIn(ap, ADMIN_EMAIL, ADMIN_PASSWORD);
  await ap.goto('/organisations/grupul-dizabil-eu-vrancea');
  await ap.getByLabel('Adresă de e-mail').fill(email);
  await ap.getByRole('button', { name: 'Trimiteți invitația' }).click();
  await expect(ap.getByRole('status')).toHaveText('Invitația a fost trimisă.');
  await admin.close();

  const invite = await linkFromOutbox(browser, email);
  await page.goto(invite);
  await expect(page.getByText('Autentificați-vă (sau creați un cont)')).toBeVisible();
  await expectAccessible(page, 'invitation (signed out)');
  await register(page, 'Ilinca Invitată', email, 'parola-buna-7');
  await page.goto(await linkFromOutbox(browser, email));
  await page.getByRole('button', { name: 'Confirm adresa' }).click();
  await expect(page).toHaveURL(/\/account\/verified$/);
  await signIn(page, email, 'parola-buna-7');
  await page.goto(invite);
  await page.getByRole('button', { name: 'Accept invitația' }).click();
  await expect(page.getByRole('status')).toContainText('Acum sunteți membru');
  await expect(page.getByText('Sunteți membru al acestei organizații.')).toBeVisible();
});

test('someone subscribes to the newsletter, confirms from the e-mail and unsubscribes in one click', async ({ page, browser }) => {
  const email = uniqueEmail('cititor');
  await page.goto('/newsletter');
  await expectAccessible(page, 'newsletter form');
  await page.getByLabel('Adresă de e-mail').fill(email);
  await page.getByLabel('Instruiri și evenimente').uncheck();
  await page.getByRole('button', { name: 'Abonați-mă' }).click();
  // Consent is required; the choices stay as they were.
  await expect(page.locator('#f-consent-err')).toBeVisible();
  await expect(page.getByLabel('Instruiri și evenimente')).not.toBeChecked();
  await expect(page.getByLabel('Adresă de e-mail')).toHaveValue(email);
  await page.getByLabel('Sunt de acord să primesc newsletterul Participa').check();
  await page.getByRole('button', { name: 'Abonați-mă' }).click();
  await expect(page.getByRole('status')).toContainText('e-mail de confirmare');

  await page.goto(await linkFromOutbox(browser, email));
  await page.getByRole('button', { name: 'Confirm abonarea' }).click();
  await expect(page.getByRole('status')).toHaveText('Abonarea este confirmată. Mulțumim!');
  await expectAccessible(page, 'newsletter preferences');
  await page.getByRole('button', { name: 'Dezabonați-mă' }).click();
  await expect(page.getByRole('status')).toContainText('V-ați dezabonat');
  await expect(page.getByText('dezabonat', { exact: false }).first()).toBeVisible();
});

test('a resident registers for an event and downloads the .ics', async ({ page, browser }) => {
  const email = uniqueEmail('eveniment');
  await register(page, 'Elena Eveniment', email, 'parola-buna-7');
  await page.goto(await linkFromOutbox(browser, email));
  await page.getByRole('button', { name: 'Confirm adresa' }).click();
  await expect(page).toHaveURL(/\/account\/verified$/);
  await signIn(page, email, 'parola-buna-7');
  await page.goto('/events');
  await expectAccessible(page, 'events list');
  await page.getByRole('link', { name: 'Întâlnire de dialog între ONG-uri și Primăria Iași' }).click();
  await page.getByRole('button', { name: 'Mă înscriu' }).click();
  await expect(page.getByRole('status')).toContainText('V-ați înscris');
  await expect(page.getByText('Sunteți înscris.')).toBeVisible();
  await expectAccessible(page, 'event page (registered)');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Adăugați în calendar (.ics)' }).click()]);
  const ics = require('fs').readFileSync(await download.path(), 'utf8');
  expect(ics).toContain('BEGIN:VEVENT');
  expect(ics).toContain('SUMMARY:Întâlnire de dialog între ONG-uri și Primăria Iași');
  expect(download.suggestedFilename()).toBe('dialog-ong-autoritati-iasi.ics');
});

test('a visitor reads a success story from the home page and finds the feed', async ({ page, request }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Cum am obținut o rampă la bibliotecă (poveste demonstrativă)' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cum am obținut o rampă la bibliotecă (poveste demonstrativă)');
  await expect(page.locator('.prose strong')).toHaveText('treptele');
  const feed = await request.get('/stories/feed.atom');
  expect(feed.headers()['content-type']).toContain('application/atom+xml');
  expect(await feed.text()).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
});

test('an admin writes a newsletter issue, previews it and sends a test', async ({ page }) => {
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/admin/newsletter');
  await page.getByLabel('Subiect').fill('Noutăți din noiembrie');
  await page.getByLabel('Textul poveștii').fill('**Harta** are 60 de instituții noi din Focșani.');
  await page.getByLabel('Trimiteți celor abonați la').selectOption('map');
  await page.getByRole('button', { name: 'Salvați ciorna' }).click();
  await expect(page.getByRole('status')).toContainText('Ciorna a fost salvată');
  const issue = page.locator('li.mail', { hasText: 'Noutăți din noiembrie' }).first();
  await issue.getByText('Previzualizare').click();
  await expect(issue.locator('.prose strong')).toHaveText('Harta');
  await issue.getByRole('button', { name: 'Trimiteți-mi un test' }).click();
  await expect(page.getByRole('status')).toContainText('Testul a fost trimis');
  await expectAccessible(page, 'newsletter admin');
  await page.goto('/admin/outbox');
  await expect(page.locator('li.mail', { hasText: '[TEST] Noutăți din noiembrie' }).first()).toBeVisible();
});
