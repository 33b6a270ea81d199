import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser; the server is started by server/scripts/test.sh.
const chromium = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3000',
    launchOptions: chromium,
    locale: 'ro-RO',
    timezoneId: 'Europe/Bucharest',
    trace: 'off',
  },
  projects: [
    { name: 'phone', use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } },
    // The flows are a person's on a phone; the wide layout adds its own checks and axe on every page,
    // which is what differs there (the same flows twice cost CI minutes and found nothing new).
    { name: 'desktop', grep: /axe|dashboard|navigation row/, use: { viewport: { width: 1280, height: 800 } } },
  ],
});
