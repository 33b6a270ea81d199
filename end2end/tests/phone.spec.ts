import { test, expect, Page } from '@playwright/test';
import { expectAccessible, watchConsole } from './helpers';

// The phone header (one compact bar with a "Meniu" disclosure) and the home page's entry points.
// The header tests measure the phone layout, so they run on the phone project only.

const SECTIONS: [string, RegExp][] = [
  ['/', /\/$/],
  ['/organisations', /\/organisations$/],
  ['/map', /\/map$/],
  ['/events', /\/events$/],
  ['/campaigns', /\/campaigns$/],
  ['/consultations', /\/consultations$/],
  ['/about', /\/about$/],
  ['/account/login', /\/account\/login$/],
  ['/account/register', /\/account\/register$/],
];

const menu = (page: Page) => page.locator('header details.menu');
const summary = (page: Page) => menu(page).locator('summary');

async function tabTo(page: Page, selector: string) {
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

test.describe('phone header', () => {
  test.beforeEach(({}, info) => test.skip(info.project.name !== 'phone', 'measures the phone layout'));

  test('the header is one bar of at most 56 px and the full navigation is inside "Meniu"', async ({ page }) => {
    const errors = watchConsole(page);
    await page.goto('/');
    const header = await page.locator('header.site-header').boundingBox();
    expect(header, 'the header is laid out').not.toBeNull();
    expect(header!.height).toBeLessThanOrEqual(56);
    expect(header!.width).toBeLessThanOrEqual(390);
    // Logo, language and the menu button are on the bar; the desktop row is not shown.
    await expect(page.locator('header a.brand')).toBeVisible();
    await expect(page.getByRole('button', { name: 'English' })).toBeVisible();
    await expect(summary(page)).toBeVisible();
    await expect(summary(page)).toHaveText('Meniu');
    await expect(page.locator('nav.main-nav')).toBeHidden();
    await expect(menu(page).locator('nav')).toBeHidden();
    // Every control of the bar is a comfortable touch target.
    for (const el of [page.locator('header a.brand'), page.getByRole('button', { name: 'English' }), summary(page)]) {
      const box = await el.boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(44);
      expect(box!.width).toBeGreaterThanOrEqual(44);
    }
    expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
  });

  test('"Meniu" opens by keyboard, reaches every section and closes again', async ({ page }) => {
    await page.goto('/');
    await tabTo(page, 'header details.menu > summary');
    await page.keyboard.press('Enter');
    await expect(menu(page)).toHaveAttribute('open', '');
    const nav = menu(page).getByRole('navigation', { name: 'Navigare principală' });
    await expect(nav).toBeVisible();
    for (const [href] of SECTIONS) {
      await expect(nav.locator(`a[href="${href}"]`)).toBeVisible();
    }
    // Tab walks the links in order; Enter follows the one reached.
    await page.keyboard.press('Tab');
    await expect(nav.locator('a[href="/"]')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(nav.locator('a[href="/organisations"]')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(nav.locator('a[href="/map"]')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/map$/);
    // Space toggles it too, open and shut.
    await tabTo(page, 'header details.menu > summary');
    await page.keyboard.press('Space');
    await expect(menu(page)).toHaveAttribute('open', '');
    await page.keyboard.press('Space');
    await expect(menu(page)).not.toHaveAttribute('open', '');
    await expect(nav).toBeHidden();
  });

  test('"Meniu" opens by touch and every section is one tap away', async ({ page }) => {
    for (const [href, url] of SECTIONS) {
      await page.goto(href === '/' ? '/about' : '/');
      await summary(page).tap();
      await expect(menu(page)).toHaveAttribute('open', '');
      await menu(page).locator(`nav a[href="${href}"]`).tap();
      await expect(page).toHaveURL(url);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    }
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('"Meniu" opens and its links work', async ({ page }) => {
      await page.goto('/');
      await summary(page).tap();
      await expect(menu(page)).toHaveAttribute('open', '');
      await menu(page).locator('nav a[href="/consultations"]').tap();
      await expect(page).toHaveURL(/\/consultations$/);
      await tabTo(page, 'header details.menu > summary');
      await page.keyboard.press('Enter');
      await expect(menu(page).locator('nav a[href="/campaigns"]')).toBeVisible();
    });
  });

  for (const lang of ['ro', 'en']) {
    test(`home passes axe with the menu closed and open (${lang})`, async ({ page, context, baseURL }) => {
      await context.addCookies([{ name: 'lang', value: lang, url: baseURL! }]);
      await page.goto('/');
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expectAccessible(page, `home, menu closed (${lang})`);
      await summary(page).tap();
      await expect(menu(page).locator('nav')).toBeVisible();
      await expectAccessible(page, `home, menu open (${lang})`);
    });
  }
});

test('desktop keeps the navigation row and no menu button', async ({ page }, info) => {
  test.skip(info.project.name !== 'desktop', 'the wide layout');
  await page.goto('/');
  await expect(page.locator('nav.main-nav')).toBeVisible();
  await expect(page.locator('nav.main-nav a[href="/map"]')).toBeVisible();
  await expect(summary(page)).toBeHidden();
});

test('home: the three capabilities are entry points with live figures', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByText('În curând')).toHaveCount(0);
  const cards = page.locator('ul.entry-points > li');
  await expect(cards).toHaveCount(4);
  const figures = page.locator('ul.entry-points .figure');
  await expect(figures).toHaveCount(3);
  await expect(figures.nth(0)).toHaveText(/^(Un loc|\d[\d.]* (de )?locuri) pe hartă$/);
  await expect(figures.nth(1)).toHaveText(/^(O consultare deschisă|\d[\d.]* (de )?consultări deschise) acum$/);
  await expect(figures.nth(2)).toHaveText(/^\d[\d.]*,\d\d lei strânși luna aceasta$/);
  // The demo data has places: the first figure is not a blank.
  await expect(figures.nth(0)).not.toHaveText(/^0 /);
  for (const [href, url] of [
    ['/map', /\/map$/],
    ['/consultations', /\/consultations$/],
    ['/campaigns', /\/campaigns$/],
    ['/organisations', /\/organisations$/],
  ] as [string, RegExp][]) {
    await page.goto('/');
    await page.locator(`ul.entry-points a[href="${href}"]`).click();
    await expect(page).toHaveURL(url);
    const h1 = page.getByRole('heading', { level: 1 });
    await expect(h1).toBeVisible();
    await expect(h1).not.toHaveText('Participare publică, la un clic distanță');
  }
});
