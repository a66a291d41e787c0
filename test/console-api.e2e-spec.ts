import { DEMO_PASSWORD } from '../src/demo/demo-seed.service';
import { createTestApp, TestApp } from './app';
import { bearer, createDraft, rectificationCampaign } from './factories';

/** What the web console needs of the API beyond the JSON clients' form: the refresh cookie, pickers, read marks. */
describe('console API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('refresh token in an httpOnly cookie', () => {
    const cookieLogin = () => t.http.post('/api/auth/login').send({ username: 'leader', password: DEMO_PASSWORD, refreshTokenIn: 'cookie' }).expect(200);
    const refreshCookie = (setCookie: string[] | string | undefined) => {
      const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
      return all.find((c) => c.startsWith('qingling_refresh='));
    };

    it('sets an httpOnly SameSite=Strict cookie scoped to /api/auth and leaves the token out of the JSON', async () => {
      const res = await cookieLogin();
      expect(res.body.accessToken).toEqual(expect.any(String));
      expect(res.body).not.toHaveProperty('refreshToken');
      const cookie = refreshCookie(res.headers['set-cookie']);
      expect(cookie).toMatch(/^qingling_refresh=[A-Za-z0-9_-]{43};/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Strict/);
      expect(cookie).toMatch(/; Path=\/api\/auth/);
      expect(cookie).not.toMatch(/; Secure/); // plain http here; Secure behind TLS
    });

    it('refreshes from the cookie (rotating it), and logout revokes it on the server and clears it', async () => {
      const login = await cookieLogin();
      const first = refreshCookie(login.headers['set-cookie'])!.split(';')[0];
      const refreshed = await t.http.post('/api/auth/refresh').set('cookie', first).send({}).expect(200);
      expect(refreshed.body).not.toHaveProperty('refreshToken');
      const second = refreshCookie(refreshed.headers['set-cookie'])!.split(';')[0];
      expect(second).not.toBe(first);
      await t.http.get('/api/auth/me').set('authorization', `Bearer ${refreshed.body.accessToken}`).expect(200);

      const out = await t.http.post('/api/auth/logout').set('cookie', second).send({}).expect(204);
      expect(refreshCookie(out.headers['set-cookie'])).toMatch(/^qingling_refresh=;.*Expires=Thu, 01 Jan 1970/);
      const after = await t.http.post('/api/auth/refresh').set('cookie', second).send({}).expect(401);
      expect(after.body.code).toBe('INVALID_REFRESH_TOKEN');
    });

    it('answers 401 without a cookie or body token, and keeps the JSON form for other clients', async () => {
      expect((await t.http.post('/api/auth/refresh').send({}).expect(401)).body.code).toBe('INVALID_REFRESH_TOKEN');
      const json = await t.http.post('/api/auth/login').send({ username: 'leader', password: DEMO_PASSWORD }).expect(200);
      expect(json.body.refreshToken).toEqual(expect.any(String));
      expect(refreshCookie(json.headers['set-cookie'])).toBeUndefined();
      const bad = await t.http.post('/api/auth/login').send({ username: 'leader', password: DEMO_PASSWORD, refreshTokenIn: 'localStorage' }).expect(400);
      expect(bad.body.details[0].field).toBe('refreshTokenIn');
    });
  });

  describe('pickers', () => {
    let campaignId: string;
    beforeAll(async () => {
      campaignId = await rectificationCampaign(t);
    });

    it('lists rectifier candidates for an item: its village first, only its township (never the caller, admins or auditors); 404 out of scope', async () => {
      const item = await createDraft(t, campaignId);
      const res = await t.http
        .get(`/api/directory/rectifiers?itemId=${item.id}`)
        .set('authorization', await bearer(t, 'leader'))
        .expect(200);
      const names = (res.body as Array<{ id: string; orgUnit: { name: string } }>).map((u) => u.id);
      expect(names[0]).toBe(t.demo.userIds.cadre); // 大同村's own cadre first
      // Only the township's people (rectifier-choice.ts): not the leader asking, not a department the item was not handed to.
      expect(names).toEqual([t.demo.userIds.cadre, t.demo.userIds.towncadre, t.demo.userIds.cadre2]); // 大同村, then 城关镇 itself (乡镇干部), then its other villages
      expect(names).not.toContain(t.demo.userIds.admin);
      expect(names).not.toContain(t.demo.userIds.auditor);
      expect(names).not.toContain(t.demo.userIds.cadre3); // another township's village
      const searched = await t.http
        .get(`/api/directory/rectifiers?itemId=${item.id}&q=${encodeURIComponent(res.body[0].displayName)}`)
        .set('authorization', await bearer(t, 'leader'))
        .expect(200);
      expect(searched.body.map((u: { id: string }) => u.id)).toEqual([t.demo.userIds.cadre]);

      const other = await t.http
        .get(`/api/directory/rectifiers?itemId=${item.id}`)
        .set('authorization', await bearer(t, 'leader2'))
        .expect(404);
      expect(other.body.code).toBe('NOT_FOUND');
      // A cadre names no rectifier (unless a reviewer delegated to them, test/delegation.e2e-spec.ts): nobody to choose from.
      const cadre = await t.http
        .get(`/api/directory/rectifiers?itemId=${item.id}`)
        .set('authorization', await bearer(t, 'cadre'))
        .expect(200);
      expect(cadre.body).toEqual([]);
      const bad = await t.http
        .get('/api/directory/rectifiers?itemId=nope')
        .set('authorization', await bearer(t, 'leader'))
        .expect(400);
      expect(bad.body.details[0].field).toBe('itemId');
    });

    it('lists escalation targets: the county office and departments only', async () => {
      const res = await t.http
        .get('/api/directory/departments')
        .set('authorization', await bearer(t, 'leader'))
        .expect(200);
      const kinds = new Set((res.body as Array<{ kind: string }>).map((u) => u.kind));
      expect([...kinds].sort()).toEqual(['county', 'department']);
      expect(res.body.map((u: { id: string }) => u.id)).toContain(t.demo.orgUnits.zhujian.id);
    });
  });

  describe('notification read marks', () => {
    it("marks my notifications read, one or all; someone else's is 404", async () => {
      const campaignId = await rectificationCampaign(t, '消息');
      const item = await createDraft(t, campaignId);
      await t.http
        .post(`/api/items/${item.id}/events`)
        .set('authorization', await bearer(t, 'cadre'))
        .send({ type: 'SUBMIT' })
        .expect(200);
      const auth = await bearer(t, 'leader');
      const list = async () =>
        (await t.http.get('/api/notifications').set('authorization', auth).expect(200)).body as Array<{ id: string; readAt: string | null }>;
      const unread = (await list()).filter((n) => !n.readAt);
      expect(unread.length).toBeGreaterThan(0);
      await t.http
        .post(`/api/notifications/${unread[0].id}/read`)
        .set('authorization', await bearer(t, 'cadre2'))
        .expect(404);
      await t.http.post(`/api/notifications/${unread[0].id}/read`).set('authorization', auth).expect(204);
      const once = await list();
      expect(once.find((n) => n.id === unread[0].id)!.readAt).toEqual(expect.any(String));
      expect(once.filter((n) => !n.readAt)).toHaveLength(unread.length - 1);
      await t.http.post('/api/notifications/read-all').set('authorization', auth).expect(204);
      expect((await list()).filter((n) => !n.readAt)).toHaveLength(0);
    });
  });
});
