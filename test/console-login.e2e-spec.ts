import { ConsoleUnderTest, DESKTOP, login, logout, newSession, PHONE, screenshot, scrollsSideways, startConsole } from './browser/harness';

/** The console's front door in a real browser: served at /, session kept out of page scripts' reach, 退出 ends it on the server. */
describe('console: login and session (Chromium)', () => {
  let c: ConsoleUnderTest;
  beforeAll(async () => {
    c = await startConsole();
  });
  afterAll(() => c.close());

  it('serves the console at / with the SPA fallback, long-cached hashed assets, and JSON 404s under /api', async () => {
    const index = await c.t.http.get('/items/123').expect(200);
    expect(index.text).toContain('<div id="root">');
    expect(index.headers['cache-control']).toBe('no-cache');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index.text)![1];
    const js = await c.t.http.get(asset).expect(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const api = await c.t.http.get('/api/nope').expect(404);
    expect(api.body.code).toBe('NOT_FOUND');
    await c.t.http.get('/manifest.webmanifest').expect(200);
  });

  it('shows the API message on a wrong password, keeps no token where scripts can read it, restores the session on reload, and 退出 ends it', async () => {
    const { context, page } = await newSession(c, DESKTOP);
    await page.goto('/');
    await page.getByLabel('用户名').fill('leader');
    await page.getByLabel('密码').fill('Wrong@2021');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByTestId('login-error').getByText('用户名或密码错误').waitFor();
    await screenshot(page, 'login-error-desktop');

    await login(page, 'leader');
    await page.getByTestId('current-user').getByText('李明（城关镇分管负责人）').waitFor();
    const cookies = await context.cookies();
    const refresh = cookies.find((k) => k.name === 'qingling_refresh')!;
    expect(refresh).toEqual(expect.objectContaining({ httpOnly: true, sameSite: 'Strict', path: '/api/auth' }));
    expect(await page.evaluate<string>('document.cookie')).toBe('');
    const stored = await page.evaluate<string>('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })');
    expect(stored).not.toMatch(/eyJ|refresh/i); // no JWT, no refresh token in web storage

    await page.reload();
    await page.getByTestId('current-user').getByText('李明（城关镇分管负责人）').waitFor(); // silent refresh from the cookie

    await logout(page);
    // the server revoked the token: the old cookie no longer refreshes
    const res = await c.t.http.post('/api/auth/refresh').set('cookie', `qingling_refresh=${refresh.value}`).send({});
    expect(res.status).toBe(401);
    await page.reload();
    await page.getByLabel('用户名').waitFor();
    await context.close();
  });

  it('fits a phone screen', async () => {
    const { context, page } = await newSession(c, PHONE);
    await page.goto('/');
    await page.getByLabel('用户名').waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'login-phone');
    await context.close();
  });
});
