import { existsSync, mkdirSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/demo/demo-seed.service';
import { createTestApp, TestApp } from '../app';

/**
 * Browser tests drive Debian's Chromium (playwright-core, no downloaded
 * browser) against the real service: the real AppModule on its own real
 * PostgreSQL database, serving the console built into dist/web by `npm test`'s
 * pretest step.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');
export const WEB_DIR = process.env.CONSOLE_WEB_DIR ?? 'dist/web';
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 812 };

export interface ConsoleUnderTest {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** `env` adds to the test configuration (e.g. TOTP_REQUIRED_ROLES for the second-factor journey). */
export async function startConsole(env: Record<string, string> = {}): Promise<ConsoleUnderTest> {
  if (!existsSync(join(WEB_DIR, 'index.html'))) throw new Error('dist/web is not built: run `npm run build:web` (npm test does it first)');
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  // The console as deployed: every signature asks for the password (step-up), unlike the API-only specs.
  const t = await createTestApp({ WEB_DIR: WEB_DIR, SIGNING_STEP_UP: 'true', ...env });
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    t,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** A fresh browser profile (cookies, IndexedDB, service worker) at desktop or phone size. */
export async function newSession(c: ConsoleUnderTest, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const phone = viewport.width < 600;
  const context = await c.browser.newContext({
    baseURL: c.baseUrl,
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

export async function login(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('current-user').waitFor();
}

export async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出' }).click();
  await page.getByLabel('用户名').waitFor();
}

/** Writes test-output/screenshots/<name>.png (ignored by git; a few are copied to docs/screenshots/). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** True when the page scrolls sideways (a phone layout defect). */
export async function scrollsSideways(page: Page): Promise<boolean> {
  // evaluated in the page (the test program has no DOM types)
  return page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth + 1');
}

/**
 * The steps of a journey, which share state in order: after one fails the
 * rest fail at once instead of timing out one by one, and each page
 * `pages()` names is photographed as `FAILED-<name>` for whoever reads the CI log.
 */
export function journeySteps(pages: () => Iterable<[string, Page]>): (name: string, fn: () => Promise<void>) => void {
  let failedStep: string | null = null;
  return (name, fn) =>
    it(name, async () => {
      if (failedStep) throw new Error(`not run: the earlier step "${failedStep}" failed`);
      try {
        await fn();
      } catch (err) {
        failedStep = name;
        for (const [key, page] of pages()) await screenshot(page, `FAILED-${key.replace(/\W/g, '-')}`).catch(() => undefined);
        throw err;
      }
    });
}

export const SIGNING_PASSWORD_LABEL = '签字确认：请输入登录密码';

/**
 * Signs with `button` in a dialog as a user would: the password typed in whenever the dialog asks
 * for it (step-up signing; a grant lasts minutes, so a later dialog may or may not ask), clicked
 * until the dialog closes. On a loaded host a click that lands while the dialog is still animating
 * in can be lost, so it is clicked again if the dialog is still open a few seconds later (a second
 * click while the request is in flight is refused by the button's loading state, and every signed
 * request carries one Idempotency-Key per dialog).
 */
export async function sign(dialog: Locator, button: string, password = DEMO_PASSWORD): Promise<void> {
  const field = dialog.getByLabel(SIGNING_PASSWORD_LABEL);
  await dialog.getByRole('button', { name: button }).waitFor();
  for (let attempt = 1; attempt <= 4; attempt++) {
    if ((await field.count()) && !(await field.inputValue().catch(() => 'gone'))) await field.fill(password);
    await dialog
      .getByRole('button', { name: button })
      .click({ timeout: 5_000 })
      .catch(() => undefined);
    const closed = await dialog
      .waitFor({ state: 'hidden', timeout: 5_000 * attempt })
      .then(() => true)
      .catch(() => false);
    if (closed) return;
  }
  throw new Error(`the dialog did not close after signing with ${button}`);
}
