import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { totpCode } from '../src/auth/totp/otp';
import { DEMO_PASSWORD } from '../src/demo/demo-seed.service';
import { ConsoleUnderTest, DESKTOP, logout, newSession, PHONE, screenshot, scrollsSideways, startConsole } from './browser/harness';

/**
 * The second factor in the console (issue 9), in Chromium against the real
 * service with TOTP_REQUIRED_ROLES=county_office: the county office is led to
 * bind an authenticator before anything else, then logs in with codes this
 * test computes as the phone would (otplib); a township leader binds and
 * turns it off on 账号安全.
 */
describe('console: second factor (TOTP) (Chromium)', () => {
  let c: ConsoleUnderTest;
  beforeAll(async () => {
    c = await startConsole({ TOTP_REQUIRED_ROLES: 'county_office' });
  });
  afterAll(() => c.close());

  /** The code an authenticator shows `steps` periods from now. */
  const codeAt = (secret: string, steps = 0) => totpCode(secret, Math.floor(Date.now() / 1000) + steps * 30);

  const enterPassword = async (page: Page, username: string) => {
    await page.goto('/');
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
  };
  /** Types six digits into an antd OTP input (it moves from box to box by itself). */
  const typeCode = async (page: Page, testId: string, code: string) => {
    await page.getByTestId(testId).locator('input').first().click();
    await page.keyboard.type(code);
  };
  /** Starts binding on the page shown, reads the secret off it, and confirms with the current code; answers the secret and recovery codes. */
  const bind = async (page: Page, shots: string) => {
    await page.getByRole('button', { name: /开始绑定/ }).click();
    await page.getByTestId('totp-qrcode').waitFor();
    const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await screenshot(page, `${shots}-qr`);
    await typeCode(page, 'totp-confirm-code', await codeAt(secret));
    const box = page.getByTestId('recovery-codes');
    await box.waitFor();
    const codes = (await box.locator('code').allInnerTexts()).map((s) => s.trim());
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
    await screenshot(page, `${shots}-recovery-codes`);
    return { secret, codes };
  };

  it('leads a county office user to bind an authenticator before anything else, then logs in with a code or a recovery code', async () => {
    const { context, page } = await newSession(c, DESKTOP);
    await enterPassword(page, 'county');
    const forced = page.getByTestId('totp-enrolment-required');
    await forced.getByText('须使用双因素认证').waitFor();
    await forced.getByText('县巩固办').first().waitFor();
    expect(await page.getByTestId('current-user').count()).toBe(0);
    await screenshot(page, 'totp-enrolment-required-desktop');

    const { secret, codes } = await bind(page, 'totp-enrolment-desktop');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /下载/ }).click()]);
    expect(download.suggestedFilename()).toBe('清零恢复码-county.txt');
    const saved = await readFile((await download.path())!, 'utf8');
    for (const code of codes) expect(saved).toContain(code);
    expect(saved).toContain('每个恢复码只能使用一次');

    await page.getByRole('button', { name: '我已保存恢复码' }).click();
    await page.getByTestId('current-user').getByText('县巩固办').first().waitFor();
    expect(page.url()).toMatch(/\/inbox$/);
    await logout(page);

    // Next login: the password, then the code.
    await enterPassword(page, 'county');
    const second = page.getByTestId('login-totp');
    await second.getByText('请输入手机上身份验证器显示的 6 位动态验证码').waitFor();
    await screenshot(page, 'login-totp-desktop');
    await typeCode(page, 'login-totp-code', await codeAt(secret, 5));
    await page.getByTestId('login-error').getByText('动态验证码不正确').waitFor();
    await screenshot(page, 'login-totp-wrong-desktop');
    // The step after the one confirming used (one either side of now is accepted).
    await typeCode(page, 'login-totp-code', await codeAt(secret, 1));
    await page.getByTestId('current-user').waitFor();
    await logout(page);

    // Phone not at hand: a recovery code, once.
    await enterPassword(page, 'county');
    await page.getByRole('button', { name: '手机不在身边？使用恢复码' }).click();
    await page.getByLabel('恢复码').fill(codes[3].toUpperCase());
    await screenshot(page, 'login-recovery-code-desktop');
    await page
      .getByTestId('login-totp')
      .getByRole('button', { name: /登\s*录/ })
      .click();
    await page.getByTestId('current-user').waitFor();
    await context.close();

    const used = await c.t.http.post('/api/auth/login').send({ username: 'county', password: DEMO_PASSWORD, recoveryCode: codes[3] });
    expect([used.status, used.body.code]).toEqual([401, 'TOTP_INVALID']);
  });

  it('lets a township leader bind and turn off the second factor on 账号安全', async () => {
    const { context, page } = await newSession(c, DESKTOP);
    await enterPassword(page, 'leader');
    await page.getByTestId('current-user').waitFor();
    await page.getByRole('button', { name: '账号安全' }).click();
    const card = page.getByTestId('totp-card');
    await card.getByText('未启用').waitFor();
    await screenshot(page, 'account-security-off-desktop');

    const { secret } = await bind(page, 'account-security-desktop');
    await page.getByRole('button', { name: '我已保存恢复码' }).click();
    await card.getByText('已启用').waitFor();
    await card.getByText('10 个').waitFor();
    await screenshot(page, 'account-security-on-desktop');

    await page.getByRole('button', { name: '关闭双因素认证' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('登录密码').fill('Wrong@2021x');
    await dialog.getByLabel('动态验证码（或一个恢复码）').fill(await codeAt(secret, 1));
    await dialog.getByRole('button', { name: '关闭双因素认证' }).click();
    await dialog.getByText('密码不正确').waitFor();
    await screenshot(page, 'account-security-disable-error-desktop');
    await dialog.getByLabel('登录密码').fill(DEMO_PASSWORD);
    await dialog.getByRole('button', { name: '关闭双因素认证' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await card.getByText('未启用').waitFor();
    await context.close();

    await c.t.http.post('/api/auth/login').send({ username: 'leader', password: DEMO_PASSWORD }).expect(200);
  });

  it('fits a phone: the code step of the login and 账号安全', async () => {
    const { context, page } = await newSession(c, PHONE);
    await enterPassword(page, 'county');
    await page.getByTestId('login-totp').waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'login-totp-phone');
    await page.getByRole('button', { name: '手机不在身边？使用恢复码' }).click();
    await page.getByRole('button', { name: '返回' }).click();
    await page.getByLabel('用户名').waitFor();

    await enterPassword(page, 'cadre');
    await page.getByTestId('current-user').waitFor();
    await page.getByRole('button', { name: '账号安全' }).click();
    await page.getByRole('button', { name: /开始绑定/ }).click();
    await page.getByTestId('totp-qrcode').waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'account-security-phone');
    await context.close();
  });
});
