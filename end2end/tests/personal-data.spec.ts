import { test, expect, Page } from '@playwright/test';
import { expectAccessible, linkFromOutbox, register, signIn, uniqueEmail, watchConsole } from './helpers';
import { readFileSync } from 'fs';

// A real 1×1 PNG (the server stores it re-encoded as JPEG).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PASSWORD = 'Parola-buna-2026';
const NAME = 'Ilinca Exportescu';
const ALT = 'Treptele fără rampă de la intrare';

async function placeId(page: Page, name: string): Promise<string> {
  await page.goto(`/map?q=${encodeURIComponent(name)}`);
  const href = await page.locator('.place-list a', { hasText: name }).first().getAttribute('href');
  return href!.split('/').pop()!;
}

test.describe('personal data on a phone', () => {
  test.skip(({ isMobile }) => !isMobile, 'phone scenario');

  test('a resident downloads their data and photos, then deletes the account; the report stays, signed "cont șters"', async ({ page, browser }) => {
    test.setTimeout(180_000);
    const errors = watchConsole(page);
    const email = uniqueEmail('export');
    await register(page, NAME, email, PASSWORD);
    await page.goto(await linkFromOutbox(browser, email));
    await page.getByRole('button', { name: 'Confirm adresa' }).click();
    await expect(page).toHaveURL(/\/account\/verified$/);
    await signIn(page, email, PASSWORD);

    // A map report with a photo.
    const id = await placeId(page, 'Muzeul Vrancei');
    await page.goto(`/map/places/${id}/report`);
    await page.waitForLoadState('networkidle');
    await page.locator('#f-problem').selectOption('entrance');
    await page.locator('#f-description').fill('Trei trepte la intrare, semnalate pentru export.');
    await page.locator('#f-photo_1').setInputFiles({ name: 'trepte.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('#f-alt_1').fill(ALT);
    await page.locator('#report-form button[type=submit]').click();
    await expect(page).toHaveURL(/\/map\/reports\/\d+\?created=1/);
    const reportUrl = new URL(page.url()).pathname;
    await expect(page.getByText(NAME).first()).toBeVisible();
    const photoSrc = await page.locator(`img[alt="${ALT}"]`).first().getAttribute('src');
    expect(photoSrc).toMatch(/^\/media\//);

    // The profile offers both downloads; the ZIP holds the data and the photo.
    await page.goto('/account');
    await expectAccessible(page, 'profile');
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Descărcați datele mele' }).click()]);
    const data = JSON.parse(readFileSync(await json.path(), 'utf8'));
    expect(data.account.email).toBe(email);
    expect(JSON.stringify(data.map_reports)).toContain('semnalate pentru export');
    expect(JSON.stringify(data.map_photos)).toContain(ALT);
    const [zip] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Descărcați datele și fotografiile (ZIP)' }).click()]);
    expect(zip.suggestedFilename()).toBe('participa-my-data.zip');
    const bytes = readFileSync(await zip.path());
    expect(bytes.subarray(0, 4).toString('hex')).toBe('504b0304'); // a ZIP
    // Entries' names are stored in clear; the photo is stored uncompressed, so its JPEG bytes are there as they are.
    const text = bytes.toString('latin1');
    expect(text).toContain('data.json');
    const key = data.files.find((f: string) => f.startsWith('map/'));
    expect(text).toContain(`files/${key}`);
    expect(bytes.includes(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);

    // Deletion: the page says what stays and what goes, and is accessible.
    await page.getByRole('link', { name: 'Ștergeți contul' }).click();
    await expect(page.getByText(/Fotografiile pe care le-ați încărcat se șterg/)).toBeVisible();
    await expect(page.getByText(/evidența contabilă/)).toBeVisible();
    await expectAccessible(page, 'delete account');
    await page.locator('#f-password').fill(PASSWORD);
    await page.locator('#f-confirm').fill('ȘTERGE');
    await page.getByRole('button', { name: 'Ștergeți definitiv contul' }).click();
    await expect(page.getByRole('status')).toContainText('Contul a fost șters');

    // The report stays, signed "cont șters"; the photo is gone.
    await page.goto(reportUrl);
    await expect(page.getByText('Trei trepte la intrare, semnalate pentru export.')).toBeVisible();
    await expect(page.locator('dl.facts')).toContainText('cont șters');
    await expect(page.getByText(NAME)).toHaveCount(0);
    await expect(page.locator(`img[alt="${ALT}"]`)).toHaveCount(0);
    expect((await page.request.get(photoSrc!)).status()).toBe(404);
    await expectAccessible(page, 'report of a deleted account');

    // The account cannot sign in any more.
    await page.goto('/account/login');
    await page.locator('#f-email').fill(email);
    await page.locator('#f-password').fill(PASSWORD);
    await page.locator('form.form button[type=submit]').click();
    await expect(page.locator('#f-password-err')).toHaveText(/nu sunt corecte/);
    // The map's tiles come from OpenStreetMap, which this offline machine cannot resolve.
    expect(errors.filter((e) => !e.includes('ERR_NAME_NOT_RESOLVED'))).toEqual([]);
  });
});
