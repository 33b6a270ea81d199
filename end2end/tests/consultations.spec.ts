import { test, expect, Page } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, expectAccessible, linkFromOutbox, register, signIn, uniqueEmail, watchConsole } from './helpers';

const OPEN = '/consultations/planul-local-de-accesibilitate-focsani';
const CLOSED = '/consultations/reabilitarea-trotuarelor-cartierul-sud-focsani';
const DONE = '/consultations/regulamentul-parcarilor-rezervate-focsani';

// Enough of a PDF for the server's content check (the header and a body).
const PDF = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';

async function resident(page: Page, browser: import('@playwright/test').Browser, name: string): Promise<string> {
  const email = uniqueEmail('rezident');
  await register(page, name, email, 'parola-buna-7');
  await page.goto(await linkFromOutbox(browser, email));
  await page.getByRole('button', { name: 'Confirm adresa' }).click();
  // Wait for the confirmation to land before leaving the page, or the sign-in may abort it.
  await expect(page).toHaveURL(/\/account\/verified$/);
  await signIn(page, email, 'parola-buna-7');
  return email;
}

test('a resident comments on an article by keyboard, replies and reports; a moderator hides with a reason', async ({ page, browser }, info) => {
  test.skip(info.project.name !== 'phone', 'the phone scenario');
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  await resident(page, browser, 'Irina Vecina');
  await page.goto('/consultations');
  await page.getByRole('link', { name: 'Planul local de accesibilitate al municipiului Focșani 2027–2030' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Planul local de accesibilitate al municipiului Focșani 2027–2030');
  await expect(page.locator('.law-badges .law-ok').first()).toBeVisible();
  await page.getByRole('link', { name: /Art\. 3 – Trotuare și treceri de pietoni/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Art. 3 – Trotuare și treceri de pietoni');

  // Keyboard only: focus, arrows, typing, Enter.
  await page.locator('#stance-against').focus();
  await page.keyboard.press('Space');
  await expect(page.locator('#stance-against')).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(page.locator('#f-paragraph')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  await expect(page.locator('#f-body')).toBeFocused();
  await page.keyboard.type('Termenul din 2030 este prea lung pentru strada Cuza Vodă.');
  await page.keyboard.press('Tab');
  await expect(page.locator('#f-alternative')).toBeFocused();
  await page.keyboard.type('Toate trecerile de pietoni din zona centrală se amenajează cu borduri coborâte până la 30 iunie 2027.');
  await page.waitForTimeout(3_000);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Trimiteți comentariul' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/posted=CP-/);
  await expect(page.locator('.notice')).toContainText('înregistrat cu numărul CP-');
  const mine = page.locator('li.comment', { hasText: 'Termenul din 2030 este prea lung' }).first();
  await expect(mine.locator('ins').first()).toBeVisible();
  await expect(mine.locator('.stance-badge')).toHaveText('Împotrivă');
  await expectAccessible(page, 'article comments after posting');

  // Reply to Ana's comment (opened and sent by keyboard).
  const ana = page.locator('li.comment', { hasText: 'Susținem articolul' }).first();
  await ana.locator('summary', { hasText: 'Răspundeți' }).first().focus();
  await page.keyboard.press('Enter');
  await ana.getByLabel('Răspunsul dumneavoastră').first().fill('Sunt de acord, școlile întâi.');
  await page.waitForTimeout(3_000);
  await ana.getByRole('button', { name: 'Trimiteți răspunsul' }).first().click();
  await expect(page).toHaveURL(/posted=CP-/);
  await expect(page.locator('.replies .comment-body', { hasText: 'Sunt de acord, școlile întâi.' }).first()).toBeVisible();

  // A position paper under my own comment: a plain multipart form, opened and sent by keyboard.
  const own = page.locator('li.comment', { hasText: 'Termenul din 2030 este prea lung' }).first();
  await own.locator('summary', { hasText: 'Atașați un document de poziție' }).focus();
  await page.keyboard.press('Enter');
  await own.locator('input[type=file]').setInputFiles({ name: 'pozitie-asociatie.pdf', mimeType: 'application/pdf', buffer: Buffer.from(PDF) });
  await own.getByRole('button', { name: 'Încărcați', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.notice')).toContainText('Documentul de poziție a fost atașat');
  const paper = page.locator('li.comment', { hasText: 'Termenul din 2030 este prea lung' }).first().locator('.paper-link a');
  await expect(paper).toHaveText('pozitie-asociatie.pdf');
  const paperRes = await page.request.get((await paper.getAttribute('href'))!);
  expect(paperRes.headers()['content-type']).toBe('application/pdf');

  // Report Elena's comment on Art. 5.
  await page.goto(`${OPEN}/comments?scope=7`);
  const sharp = page.locator('li.comment', { hasText: 'incompetentă' });
  await sharp.locator('summary', { hasText: 'Semnalați' }).click();
  await sharp.getByLabel('Motivul semnalării').selectOption('offensive');
  await sharp.getByLabel('Detalii (opțional)').fill('Atac la persoană.');
  await sharp.getByRole('button', { name: 'Trimiteți semnalarea' }).click();
  await expect(page.locator('.notice')).toContainText('semnalarea a fost înregistrată');

  // The moderator hides it, with a public reason that shows in its place and in the log.
  const mod = await browser.newContext();
  const mp = await mod.newPage();
  await signIn(mp, ADMIN_EMAIL, ADMIN_PASSWORD);
  await mp.goto('/consultations/moderation');
  await expect(mp.locator('.queue-item', { hasText: 'incompetentă' })).toBeVisible();
  await expectAccessible(mp, 'moderation queue');
  const item = mp.locator('.queue-item', { hasText: 'incompetentă' });
  await item.getByLabel('Motiv public').fill('atac la persoană');
  await item.getByRole('button', { name: 'Ascundeți' }).click();
  await expect(mp.locator('.queue-item', { hasText: 'incompetentă' })).toHaveCount(0);
  await mod.close();
  await page.goto(`${OPEN}/comments?scope=7`);
  await expect(page.getByText('Ascuns de moderator: atac la persoană')).toBeVisible();
  await expect(page.getByText('incompetentă')).toHaveCount(0);
  await page.goto(`${OPEN}/log`);
  await expect(page.locator('.log')).toContainText('atac la persoană');
  expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
});

test('the same comment form works with JavaScript disabled, errors included', async ({ browser }, info) => {
  test.skip(info.project.name !== 'phone', 'the phone scenario');
  test.setTimeout(120_000);
  const setup = await browser.newPage();
  const email = await resident(setup, browser, 'Fără Script');
  await setup.close();
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await signIn(page, email, 'parola-buna-7');
  await page.goto(`${OPEN}/comments?scope=general`);
  await page.getByLabel('Pentru').check();
  await page.waitForTimeout(3_000);
  await page.getByRole('button', { name: 'Trimiteți comentariul' }).click();
  // The body was empty: the message comes back and the stance is kept.
  await expect(page.locator('.error-summary')).toContainText('Scrieți comentariul');
  await expect(page.getByLabel('Pentru')).toBeChecked();
  await page.getByLabel('Comentariul dumneavoastră').fill('Fără JavaScript: susțin planul întreg.');
  await page.waitForTimeout(3_000);
  await page.getByRole('button', { name: 'Trimiteți comentariul' }).click();
  await expect(page).toHaveURL(/posted=CP-/);
  await expect(page.getByText('Fără JavaScript: susțin planul întreg.').first()).toBeVisible();
  await ctx.close();
});

test('the organiser answers every comment and publishes the report; PDF and CSV carry the comments', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'the phone scenario');
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(`${CLOSED}/manage`);
  await page.getByRole('button', { name: 'Publicați raportul de consultare' }).click();
  await expect(page.locator('.error-summary')).toContainText('comentarii fără răspuns');
  await page.goto(`${CLOSED}/answers`);
  await expectAccessible(page, 'answers page');
  for (const box of await page.locator('input[name="ids[]"]').all()) await box.check();
  await page.getByLabel('Respins').check();
  await page.getByRole('button', { name: 'Trimiteți răspunsul pentru comentariile bifate' }).click();
  await expect(page.locator('.error-summary')).toContainText('motivarea este obligatorie');
  for (const box of await page.locator('input[name="ids[]"]').all()) await box.check();
  await page.getByLabel('Acceptat parțial').check();
  await page.getByLabel('Motivarea').fill('Includem stațiile de autobuz; fondurile europene se vor căuta în 2027.');
  await page.getByRole('button', { name: 'Trimiteți răspunsul pentru comentariile bifate' }).click();
  await expect(page.locator('.notice')).toContainText('Au primit răspuns 2 comentarii');
  await page.goto(`${CLOSED}/manage`);
  await page.getByRole('button', { name: 'Publicați raportul de consultare' }).click();
  await expect(page.locator('.phase-closed')).toHaveText('Raport publicat');
  await page.goto(`${CLOSED}/report`);
  await expect(page.locator('.report-row')).toHaveCount(2);
  await expect(page.locator('.report-row').first()).toContainText('Includem stațiile de autobuz');
  await expectAccessible(page, 'report page');
  const csv = await page.request.get(`${CLOSED}/report.csv`);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const text = await csv.text();
  expect(text).toContain('Adăugați și trotuarele din jurul stațiilor de autobuz.');
  expect(text).toContain('Includem stațiile de autobuz');
  const pdf = await page.request.get(`${CLOSED}/report.pdf`);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  const bytes = await pdf.body();
  expect(bytes.subarray(0, 4).toString()).toBe('%PDF');
  expect(bytes.length).toBeGreaterThan(2_000);
});

test('the report reads one article at a time by keyboard without JavaScript; odd page numbers land on a page', async ({ page: withJs, browser, baseURL }, info) => {
  test.skip(info.project.name !== 'phone', 'the phone scenario');
  const ctx = await browser.newContext({ javaScriptEnabled: false, baseURL, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'ro-RO' });
  const page = await ctx.newPage();
  await page.goto(`${DONE}/report`);
  // The first page: the totals over every comment, then the comments (four, one page: no pager).
  await expect(page.getByRole('heading', { level: 2, name: 'Sinteză pe articole' })).toBeVisible();
  await expect(page.locator('.report-row')).toHaveCount(4);
  await expect(page.getByRole('navigation', { name: 'Paginile raportului' })).toHaveCount(0);
  // The chooser is a plain GET form: pick an article by keyboard and send it with Enter.
  const chooser = page.getByLabel('Comentariile la');
  await chooser.focus();
  await chooser.selectOption({ label: 'Art. 2 – Gratuitate (1)' });
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Afișați' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/report\?article=\d+$/);
  await expect(page.locator('.report-row')).toHaveCount(1);
  await expect(page.locator('.report-row')).toContainText('amenda să fie dublată');
  await expect(page.locator('table.data')).toHaveCount(0);
  await expect(page.getByText('Comentariile 1–1 din 1')).toBeVisible();
  await expect(page.getByLabel('Comentariile la')).toHaveValue(/^\d+$/);
  const articleUrl = page.url();
  // Back to the totals.
  await page.getByRole('link', { name: 'Sinteza pe articole, cu totalurile' }).click();
  await expect(page).toHaveURL(new RegExp(`${DONE}/report$`));
  await expect(page.locator('table.data')).toBeVisible();
  // Page numbers that are not pages show a page, never an error.
  for (const bad of ['0', '-1', '999999', 'abc']) {
    const res = await page.goto(`${DONE}/report?page=${bad}`);
    expect(res!.status(), `page=${bad}`).toBe(200);
    await expect(page.locator('.report-row')).toHaveCount(4);
  }
  await page.goto(`${DONE}/report?article=general`);
  await expect(page.locator('.report-row')).toHaveCount(1);
  await ctx.close();
  // axe (it needs JavaScript) on the pages visited: one article, the whole draft's comments, a bad page.
  for (const url of [articleUrl, `${DONE}/report?article=general`, `${DONE}/report?page=abc`]) {
    await withJs.goto(url);
    await expect(withJs.locator('.report-row').first()).toBeVisible();
    await expectAccessible(withJs, `report page ${url} (phone)`);
  }
});

test('the organiser attaches a PDF checked by content; the public page lists and serves it', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'the phone scenario');
  test.setTimeout(90_000);
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(`${OPEN}/manage`);
  await page.locator('#f-file-title').fill('Studiu de fezabilitate');
  await page.locator('#f-file').setInputFiles({ name: 'studiu.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>not a pdf at all</html> padding padding') });
  await page.getByRole('button', { name: 'Încărcați', exact: true }).click();
  // Back to the form: the message next to the file field, the title kept.
  await expect(page.locator('#f-file-err')).toContainText('nu este un PDF');
  await expect(page.locator('#f-file-title')).toHaveValue('Studiu de fezabilitate');
  await expectAccessible(page, 'manage page with an upload error');
  await page.locator('#f-file').setInputFiles({ name: 'studiu.pdf', mimeType: 'application/pdf', buffer: Buffer.from(PDF) });
  await page.getByRole('button', { name: 'Încărcați', exact: true }).click();
  await expect(page.locator('.notice')).toContainText('Fișierul a fost adăugat');
  await page.goto(OPEN);
  const link = page.locator('#files a', { hasText: 'Studiu de fezabilitate.pdf' });
  await expect(link).toBeVisible();
  await expect(page.locator('#files')).toContainText('KB');
  const res = await page.request.get((await link.getAttribute('href'))!);
  expect(res.headers()['content-type']).toBe('application/pdf');
  expect((await res.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await expectAccessible(page, 'consultation page with attachments');
});

test('the organiser extends the comment period; the page announces it and logs it', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'the phone scenario');
  test.setTimeout(90_000);
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const reason = 'Mai multe organizații au cerut timp pentru analiză.';
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(`${OPEN}/manage`);
  // An earlier end is no extension: the message next to the field, the reason kept.
  await page.locator('#f-ext_closes_on').fill(day(5));
  await page.locator('#f-ext_reason').fill(reason);
  await page.getByRole('button', { name: 'Prelungiți perioada de comentarii' }).click();
  await expect(page.locator('#f-ext_closes_on-err')).toContainText('după cea actuală');
  await expect(page.locator('#f-ext_reason')).toHaveValue(reason);
  await expectAccessible(page, 'manage page with an extension error');
  await page.locator('#f-ext_closes_on').fill(day(30));
  await page.getByRole('button', { name: 'Prelungiți perioada de comentarii' }).click();
  await expect(page.locator('.notice').first()).toContainText('Perioada de comentarii a fost prelungită');
  await page.goto(OPEN);
  await expect(page.locator('#extension-notice')).toContainText('Perioada de comentarii a fost prelungită până la');
  await expect(page.locator('#extension-notice')).toContainText(reason);
  await expect(page.locator('#date-history')).toContainText(reason);
  await expectAccessible(page, 'consultation page after an extension');
});

for (const lang of ['ro', 'en']) {
  test(`every consultation page passes axe (${lang})`, async ({ page, context, baseURL }) => {
    test.setTimeout(120_000);
    await context.addCookies([{ name: 'lang', value: lang, url: baseURL! }]);
    for (const path of ['/consultations', '/consultations?topic=accessibility', OPEN, `${OPEN}/comments?scope=general`, `${OPEN}/comments?scope=5`, `${OPEN}/comments?scope=all&sort=article`, `${OPEN}/log`, DONE, `${DONE}/report`, `${DONE}/comments?scope=3`, '/consultations/unsubscribe?token=x', '/consultations/new', '/organisations/grupul-dizabil-eu-vrancea']) {
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expectAccessible(page, `${path} (${lang})`);
    }
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    for (const path of ['/consultations/new', '/consultations/moderation', '/consultations/moderation?state=hidden', `${OPEN}/manage`, `${OPEN}/comments?scope=5`, `${CLOSED}/answers?filter=all`, `${DONE}/manage`]) {
      await page.goto(path);
      await expectAccessible(page, `${path} (${lang}, organiser)`);
    }
  });
}
