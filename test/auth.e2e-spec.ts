import { DEMO_PASSWORD } from '../src/demo/demo-seed.service';
import { createTestApp, TEST_JWT_SECRET, TestApp } from './app';
import { craftJwt, decodePayload } from './jwt';

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const login = (username: string, password = DEMO_PASSWORD) => t.http.post('/api/auth/login').send({ username, password });

  it('logs in with the demo password and returns a pinned, scoped access token and a refresh token', async () => {
    const res = await login('leader').expect(200);
    expect(res.body).toEqual(expect.objectContaining({ tokenType: 'Bearer', expiresIn: 900 }));
    expect(res.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const header = JSON.parse(Buffer.from(res.body.accessToken.split('.')[0], 'base64url').toString());
    expect(header.alg).toBe('HS256');
    const claims = decodePayload(res.body.accessToken);
    expect(claims).toEqual(expect.objectContaining({ sub: t.demo.userIds.leader, iss: 'qingling', aud: 'qingling-api', typ: 'access' }));
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);
  });

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    const wrong = await login('leader', 'Wrong@2021').expect(401);
    const unknown = await login('nobody', 'Wrong@2021').expect(401);
    expect(wrong.body).toEqual({ statusCode: 401, code: 'INVALID_CREDENTIALS', message: '用户名或密码错误', details: [] });
    expect(unknown.body).toEqual(wrong.body);
  });

  it('answers 400 naming the missing field on a malformed login', async () => {
    const res = await t.http.post('/api/auth/login').send({ username: 'leader' }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details).toEqual([{ field: 'password', message: 'password不能为空' }]);
    const extra = await t.http.post('/api/auth/login').send({ username: 'leader', password: 'x', admin: true }).expect(400);
    expect(extra.body.details).toEqual([{ field: 'admin', message: '不允许的字段：admin' }]);
    const notJson = await t.http.post('/api/auth/login').set('content-type', 'application/json').send('{bad').expect(400);
    expect(notJson.body.code).toBe('VALIDATION_FAILED');
  });

  it('returns the caller with roles and org unit on /me', async () => {
    const token = await t.token('cadre');
    const res = await t.http.get('/api/auth/me').set('authorization', `Bearer ${token}`).expect(200);
    expect(res.body).toEqual(
      expect.objectContaining({
        username: 'cadre',
        roles: ['investigator'],
        roleLabels: ['排查人'],
        orgUnit: { id: t.demo.orgUnits.datong.id, kind: 'village', name: '大同村' },
      }),
    );
  });

  describe('rejects bad access tokens with 401', () => {
    const me = (token: string) => t.http.get('/api/auth/me').set('authorization', `Bearer ${token}`);
    /** A live session of `county`: crafted tokens name it, as real ones do. */
    let sid: string;
    beforeAll(async () => {
      sid = decodePayload(await t.token('county')).sid as string;
    });
    const base = () => ({
      sub: t.demo.userIds.county,
      cty: t.demo.countyId,
      sid,
      typ: 'access',
      iss: 'qingling',
      aud: 'qingling-api',
      iat: Math.floor(Date.now() / 1000) - 10,
      exp: Math.floor(Date.now() / 1000) + 600,
    });

    it('accepts a correctly crafted token (so the refusals below are about the defect alone)', async () => {
      await me(craftJwt({ alg: 'HS256', typ: 'JWT' }, base(), TEST_JWT_SECRET)).expect(200);
    });

    it('no token', async () => {
      const res = await t.http.get('/api/auth/me').expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('expired', async () => {
      await me(craftJwt({ alg: 'HS256' }, { ...base(), iat: 1000, exp: 2000 }, TEST_JWT_SECRET)).expect(401);
    });

    it('alg=none', async () => {
      await me(craftJwt({ alg: 'none', typ: 'JWT' }, base(), null)).expect(401);
    });

    it('signed with another key', async () => {
      await me(craftJwt({ alg: 'HS256' }, base(), 'another-secret-another-secret-another-secret')).expect(401);
    });

    it('HS512 with the right key (algorithm pinned)', async () => {
      const head = { alg: 'HS512' };
      const token = craftJwt(head, base(), TEST_JWT_SECRET);
      await me(token).expect(401);
    });

    it('tampered payload (privilege change keeps the old signature)', async () => {
      const good = craftJwt({ alg: 'HS256' }, { ...base(), sub: t.demo.userIds.cadre }, TEST_JWT_SECRET);
      const [h, , s] = good.split('.');
      const forged = `${h}.${Buffer.from(JSON.stringify(base())).toString('base64url')}.${s}`;
      await me(forged).expect(401);
    });

    it("no session id, an unknown one, or another user's", async () => {
      const { sid: _none, ...noSid } = base();
      await me(craftJwt({ alg: 'HS256' }, noSid, TEST_JWT_SECRET)).expect(401);
      await me(craftJwt({ alg: 'HS256' }, { ...base(), sid: '00000000-0000-4000-8000-000000000000' }, TEST_JWT_SECRET)).expect(401);
      await me(craftJwt({ alg: 'HS256' }, { ...base(), sid: 'not-a-uuid' }, TEST_JWT_SECRET)).expect(401);
      const leaderSid = decodePayload(await t.token('leader')).sid;
      await me(craftJwt({ alg: 'HS256' }, { ...base(), sid: leaderSid }, TEST_JWT_SECRET)).expect(401);
    });

    it('wrong issuer, wrong audience, or not an access token', async () => {
      await me(craftJwt({ alg: 'HS256' }, { ...base(), iss: 'evil' }, TEST_JWT_SECRET)).expect(401);
      await me(craftJwt({ alg: 'HS256' }, { ...base(), aud: 'other' }, TEST_JWT_SECRET)).expect(401);
      await me(craftJwt({ alg: 'HS256' }, { ...base(), typ: 'refresh' }, TEST_JWT_SECRET)).expect(401);
    });

    it('a token for a deactivated user', async () => {
      const admin = await t.token('admin');
      const token = await t.token('cadre3');
      await me(token).expect(200);
      await t.http.post(`/api/admin/users/${t.demo.userIds.cadre3}/deactivate`).set('authorization', `Bearer ${admin}`).expect(200);
      await me(token).expect(401);
      await login('cadre3').expect(401);
    });
  });

  it('rotates refresh tokens, refuses reuse, and revokes the family on reuse', async () => {
    const first = (await login('leader2').expect(200)).body;
    const second = (await t.http.post('/api/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await t.http.get('/api/auth/me').set('authorization', `Bearer ${second.accessToken}`).expect(200);
    // Reusing the spent token is refused and revokes the newer one too.
    const reuse = await t.http.post('/api/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    expect(reuse.body.code).toBe('INVALID_REFRESH_TOKEN');
    await t.http.post('/api/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
  });

  it('logout revokes the refresh token', async () => {
    const tokens = (await login('dept').expect(200)).body;
    await t.http.post('/api/auth/logout').send({ refreshToken: tokens.refreshToken }).expect(204);
    await t.http.post('/api/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
    // without a body token the console's cookie is used; with neither there is nothing to refresh
    const none = await t.http.post('/api/auth/refresh').send({}).expect(401);
    expect(none.body.code).toBe('INVALID_REFRESH_TOKEN');
    const bad = await t.http.post('/api/auth/refresh').send({ refreshToken: 42 }).expect(400);
    expect(bad.body.details[0].field).toBe('refreshToken');
  });

  it('answers the request id it was given, and mints one otherwise', async () => {
    const res = await t.http.get('/api/health').set('x-request-id', 'trace-123').expect(200);
    expect(res.headers['x-request-id']).toBe('trace-123');
    const minted = await t.http.get('/api/health').expect(200);
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(minted.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('login rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 after the configured number of attempts per minute', async () => {
    for (let i = 0; i < 3; i++) await t.http.post('/api/auth/login').send({ username: 'leader', password: 'Wrong@2021' }).expect(401);
    const res = await t.http.post('/api/auth/login').send({ username: 'leader', password: DEMO_PASSWORD }).expect(429);
    expect(res.body.code).toBe('RATE_LIMITED');
  });
});
