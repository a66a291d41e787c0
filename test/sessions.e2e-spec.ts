import { DataSource } from 'typeorm';
import { Clock } from '../src/common/clock';
import { DEMO_PASSWORD } from '../src/demo/demo-seed.service';
import { createTestApp, TestApp } from './app';
import { bearer, createUser } from './factories';
import { decodePayload } from './jwt';

/** Sessions that really end (issue 9): every access token names its session, checked on every request. */
describe('sessions', () => {
  let t: TestApp;
  let clock: Clock;
  const MINUTE = 60_000;
  beforeAll(async () => {
    t = await createTestApp();
    clock = t.app.get(Clock);
  });
  afterAll(() => t.close());
  afterEach(() => clock.reset());

  interface Login {
    auth: string;
    refreshToken: string;
    sid: string;
  }
  const login = async (username: string, userAgent = 'jest', password = DEMO_PASSWORD): Promise<Login> => {
    const res = await t.http.post('/api/auth/login').set('user-agent', userAgent).send({ username, password });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    return { auth: `Bearer ${res.body.accessToken}`, refreshToken: res.body.refreshToken, sid: decodePayload(res.body.accessToken).sid as string };
  };
  const me = async (s: Pick<Login, 'auth'>): Promise<number> => (await t.http.get('/api/auth/me').set('authorization', s.auth)).status;
  const refresh = (s: Pick<Login, 'refreshToken'>) => t.http.post('/api/auth/refresh').send({ refreshToken: s.refreshToken });
  const newUser = (username: string) =>
    createUser(t, { username, displayName: `会话${username}`, orgUnitId: t.demo.orgUnits.datong.id, roles: ['investigator'] });
  const sessionRow = async (sid: string) =>
    (
      (await t.app.get(DataSource).query('SELECT end_reason, ended_at FROM sessions WHERE id = $1', [sid])) as Array<{
        end_reason: string | null;
        ended_at: Date | null;
      }>
    )[0];

  it('logout ends the session: its access token is refused at once, its refresh token too', async () => {
    await newUser('sess1');
    const s = await login('sess1');
    const other = await login('sess1');
    expect(await me(s)).toBe(200);
    await t.http.post('/api/auth/logout').send({ refreshToken: s.refreshToken }).expect(204);
    expect(await me(s)).toBe(401);
    expect((await refresh(s)).status).toBe(401);
    expect((await sessionRow(s.sid)).end_reason).toBe('logout');
    // Only that session: the user's other login goes on.
    expect(await me(other)).toBe(200);
  });

  it('a password reset by an admin ends every session of the user at once', async () => {
    const id = await newUser('sess2');
    const a = await login('sess2');
    const b = await login('sess2');
    expect([await me(a), await me(b)]).toEqual([200, 200]);
    await t.http
      .post(`/api/admin/users/${id}/reset-password`)
      .set('authorization', await bearer(t, 'admin'))
      .send({ password: 'Reset@2021x' })
      .expect(200);
    expect([await me(a), await me(b)]).toEqual([401, 401]);
    expect((await refresh(a)).status).toBe(401);
    expect((await sessionRow(a.sid)).end_reason).toBe('password_reset');
    expect(await me(await login('sess2', 'jest', 'Reset@2021x'))).toBe(200);
  });

  it('deactivation ends every session at once', async () => {
    const id = await newUser('sess3');
    const s = await login('sess3');
    expect(await me(s)).toBe(200);
    await t.http
      .post(`/api/admin/users/${id}/deactivate`)
      .set('authorization', await bearer(t, 'admin'))
      .expect(200);
    expect(await me(s)).toBe(401);
    expect((await sessionRow(s.sid)).end_reason).toBe('deactivated');
  });

  it('my own password change ends my other sessions and keeps the one I changed it in', async () => {
    await newUser('sess4');
    const here = await login('sess4');
    const elsewhere = await login('sess4');
    await t.http
      .post('/api/auth/change-password')
      .set('authorization', here.auth)
      .send({ currentPassword: DEMO_PASSWORD, newPassword: 'Changed@2021x' })
      .expect(204);
    expect(await me(here)).toBe(200);
    expect(await me(elsewhere)).toBe(401);
    expect((await sessionRow(elsewhere.sid)).end_reason).toBe('password_changed');
    // The kept session still refreshes; the ended one's token is refused without raising the theft alarm.
    expect((await refresh(elsewhere)).status).toBe(401);
    expect((await refresh(here)).status).toBe(200);
  });

  it('refresh-token reuse ends every session of the user: access tokens already issued are refused at once', async () => {
    await newUser('sess5');
    const s = await login('sess5');
    const other = await login('sess5');
    const rotated = (await refresh(s).expect(200)).body as { accessToken: string; refreshToken: string };
    const next = { auth: `Bearer ${rotated.accessToken}`, refreshToken: rotated.refreshToken };
    expect(decodePayload(rotated.accessToken).sid).toBe(s.sid);
    expect([await me(s), await me(next), await me(other)]).toEqual([200, 200, 200]);
    // The spent token again: theft.
    expect((await refresh(s)).status).toBe(401);
    expect([await me(s), await me(next), await me(other)]).toEqual([401, 401, 401]);
    expect((await refresh(next)).status).toBe(401);
    expect((await sessionRow(other.sid)).end_reason).toBe('refresh_reuse');
  });

  it('a session unused for SESSION_IDLE_MINUTES ends; use keeps it going', async () => {
    expect(t.config.SESSION_IDLE_MINUTES).toBe(30);
    await newUser('sess6');
    const s = await login('sess6');
    clock.travel(29 * MINUTE);
    expect(await me(s)).toBe(200);
    clock.travel(29 * MINUTE);
    expect(await me(s)).toBe(200);
    clock.travel(30 * MINUTE + 1_000);
    expect(await me(s)).toBe(401);
    expect((await sessionRow(s.sid)).end_reason).toBe('idle');
    expect((await refresh(s)).status).toBe(401);
  });

  it('refreshing is not use: an idle session cannot be refreshed back to life', async () => {
    await newUser('sess7');
    const s = await login('sess7');
    clock.travel(31 * MINUTE);
    expect((await refresh(s)).status).toBe(401);
    expect((await sessionRow(s.sid)).end_reason).toBe('idle');
    expect(await me(s)).toBe(401);
  });

  it('a session ends SESSION_MAX_HOURS after login however active', async () => {
    expect(t.config.SESSION_MAX_HOURS).toBe(12);
    await newUser('sess8');
    const s = await login('sess8');
    for (let elapsed = 20; elapsed < 12 * 60; elapsed += 20) {
      clock.travel(20 * MINUTE);
      expect([elapsed, await me(s)]).toEqual([elapsed, 200]);
    }
    clock.travel(20 * MINUTE);
    expect(await me(s)).toBe(401);
    expect((await sessionRow(s.sid)).end_reason).toBe('expired');
  });

  it("lists my live sessions and ends one of mine; another user's is 404", async () => {
    await newUser('sess9');
    const desk = await login('sess9', 'Desk Browser');
    const phone = await login('sess9', 'Phone Browser');
    const gone = await login('sess9', 'Old Browser');
    await t.http.post('/api/auth/logout').send({ refreshToken: gone.refreshToken }).expect(204);

    const list = await t.http.get('/api/auth/sessions').set('authorization', desk.auth).expect(200);
    expect(list.body).toHaveLength(2);
    expect(list.body).toEqual(
      expect.arrayContaining([
        {
          id: desk.sid,
          createdAt: expect.any(String),
          lastSeenAt: expect.any(String),
          expiresAt: expect.any(String),
          userAgent: 'Desk Browser',
          ip: expect.stringMatching(/127\.0\.0\.1|::1/),
          current: true,
        },
        expect.objectContaining({ id: phone.sid, userAgent: 'Phone Browser', current: false }),
      ]),
    );
    const mine = list.body.find((s: { id: string }) => s.id === desk.sid);
    expect(new Date(mine.expiresAt).getTime() - new Date(mine.createdAt).getTime()).toBe(12 * 3_600_000);

    // Someone else cannot see or end it.
    const stranger = await bearer(t, 'cadre2');
    const foreign = await t.http.delete(`/api/auth/sessions/${phone.sid}`).set('authorization', stranger).expect(404);
    expect(foreign.body.code).toBe('NOT_FOUND');
    expect(((await t.http.get('/api/auth/sessions').set('authorization', stranger).expect(200)).body as Array<{ id: string }>).map((s) => s.id)).not.toContain(
      phone.sid,
    );
    expect(await me(phone)).toBe(200);

    await t.http.delete(`/api/auth/sessions/${phone.sid}`).set('authorization', desk.auth).expect(204);
    expect(await me(phone)).toBe(401);
    expect((await refresh(phone)).status).toBe(401);
    expect((await sessionRow(phone.sid)).end_reason).toBe('ended_by_user');
    await t.http.delete(`/api/auth/sessions/${phone.sid}`).set('authorization', desk.auth).expect(404);
    await t.http.delete(`/api/auth/sessions/${gone.sid}`).set('authorization', desk.auth).expect(404);
    await t.http.delete('/api/auth/sessions/not-a-uuid').set('authorization', desk.auth).expect(404);
    expect(((await t.http.get('/api/auth/sessions').set('authorization', desk.auth).expect(200)).body as Array<{ id: string }>).map((s) => s.id)).toEqual([
      desk.sid,
    ]);

    // Ending the current session is a logout.
    await t.http.delete(`/api/auth/sessions/${desk.sid}`).set('authorization', desk.auth).expect(204);
    expect(await me(desk)).toBe(401);
  });
});
