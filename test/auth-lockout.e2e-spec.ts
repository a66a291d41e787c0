import { DataSource } from 'typeorm';
import { PasswordHasher } from '../src/auth/password-hasher';
import { Clock } from '../src/common/clock';
import { DEMO_PASSWORD } from '../src/demo/demo-seed.service';
import { createTestApp, TestApp } from './app';
import { createUser } from './factories';

/** Per-account lockout (issue 9): 5 failures lock for 30 minutes, kept in the database; every refusal looks the same. */
describe('login failures lock the account', () => {
  let t: TestApp;
  let db: DataSource;
  const REFUSED = { statusCode: 401, code: 'INVALID_CREDENTIALS', message: '用户名或密码错误', details: [] };
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());
  afterEach(() => t.app.get(Clock).reset());

  const login = (username: string, password = DEMO_PASSWORD) => t.http.post('/api/auth/login').send({ username, password });
  const events = async (userId: string, action: string): Promise<Array<{ actor_id: string | null; details: Record<string, unknown> }>> =>
    db.query('SELECT actor_id, details FROM audit_events WHERE subject_id = $1 AND action = $2 ORDER BY created_at, id', [userId, action]);
  const newUser = (username: string) =>
    createUser(t, { username, displayName: `测试${username}`, orgUnitId: t.demo.orgUnits.datong.id, roles: ['investigator'] });

  it('5 wrong passwords, then the right one is refused with the same answer; after 30 minutes it is accepted', async () => {
    const id = await newUser('lock1');
    for (let i = 0; i < 5; i++) expect((await login('lock1', `Wrong@${i}x2021`)).body).toEqual(REFUSED);
    const locked = await login('lock1');
    expect([locked.status, locked.body]).toEqual([401, REFUSED]);
    const [row] = await db.query('SELECT failed_login_count, locked_until FROM users WHERE id = $1', [id]);
    expect(row.failed_login_count).toBe(5);
    const lockMs = new Date(row.locked_until).getTime() - Date.now();
    expect(lockMs).toBeGreaterThan(29 * 60_000);
    expect(lockMs).toBeLessThanOrEqual(30 * 60_000);

    t.app.get(Clock).travel(29 * 60_000);
    expect((await login('lock1')).status).toBe(401);
    t.app.get(Clock).travel(60_000 + 1_000);
    await login('lock1').expect(200);

    const failed = await events(id, 'auth.login_failed');
    expect(failed.map((e) => [e.actor_id, e.details.reason, e.details.failures ?? null])).toEqual([
      [null, 'wrong_password', 1],
      [null, 'wrong_password', 2],
      [null, 'wrong_password', 3],
      [null, 'wrong_password', 4],
      [null, 'wrong_password', 5],
      [null, 'locked', null],
      [null, 'locked', null],
    ]);
    expect(await events(id, 'auth.account_locked')).toEqual([
      { actor_id: null, details: expect.objectContaining({ username: 'lock1', failures: 5, lockedUntil: new Date(row.locked_until).toISOString() }) },
    ]);
    expect(await events(id, 'auth.account_unlocked')).toEqual([{ actor_id: null, details: expect.objectContaining({ reason: 'expired' }) }]);
    const [after] = await db.query('SELECT failed_login_count, locked_until FROM users WHERE id = $1', [id]);
    expect(after).toEqual({ failed_login_count: 0, locked_until: null });
  });

  it('a lock that ran out starts counting afresh: one more failure does not lock again', async () => {
    const id = await newUser('lock2');
    for (let i = 0; i < 5; i++) await login('lock2', 'Wrong@2021x').expect(401);
    await db.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [id]);
    await login('lock2', 'Wrong@2021x').expect(401);
    const [row] = await db.query('SELECT failed_login_count, locked_until FROM users WHERE id = $1', [id]);
    expect(row).toEqual({ failed_login_count: 1, locked_until: null });
    await login('lock2').expect(200);
  });

  it('a successful login resets the count', async () => {
    await newUser('lock3');
    for (let i = 0; i < 4; i++) await login('lock3', 'Wrong@2021x').expect(401);
    await login('lock3').expect(200);
    for (let i = 0; i < 4; i++) await login('lock3', 'Wrong@2021x').expect(401);
    await login('lock3').expect(200);
  });

  it('counts concurrent failures exactly (one row, atomic update): 12 at once lock once, at 5', async () => {
    const id = await newUser('lock4');
    await Promise.all(Array.from({ length: 12 }, () => login('lock4', 'Wrong@2021x').expect(401)));
    const [row] = await db.query('SELECT failed_login_count, locked_until FROM users WHERE id = $1', [id]);
    expect(row.failed_login_count).toBe(5);
    expect(row.locked_until).not.toBeNull();
    expect(await events(id, 'auth.account_locked')).toHaveLength(1);
    const reasons = (await events(id, 'auth.login_failed')).map((e) => e.details.reason);
    expect(reasons.filter((r) => r === 'wrong_password')).toHaveLength(5);
    expect(reasons.filter((r) => r === 'locked')).toHaveLength(7);
    await login('lock4').expect(401);
  });

  it('a wrong password, a locked account, a deactivated account and an unknown user: same status, body and work (one password hash each)', async () => {
    const lockedId = await newUser('lock5');
    for (let i = 0; i < 5; i++) await login('lock5', 'Wrong@2021x').expect(401);
    await newUser('gone1');
    const gone = await db.query('SELECT id FROM users WHERE username = $1', ['gone1']);
    await t.http
      .post(`/api/admin/users/${gone[0].id}/deactivate`)
      .set('authorization', `Bearer ${await t.token('admin')}`)
      .expect(200);

    const verify = jest.spyOn(PasswordHasher, 'verify');
    try {
      const answers: Array<[string, number, unknown, number]> = [];
      for (const [label, username, password] of [
        ['wrong password', 'leader2', 'Wrong@2021x'],
        ['locked (right password)', 'lock5', DEMO_PASSWORD],
        ['deactivated (right password)', 'gone1', DEMO_PASSWORD],
        ['unknown user', 'nobody-here', DEMO_PASSWORD],
      ]) {
        verify.mockClear();
        const res = await login(username, password);
        answers.push([label, res.status, res.body, verify.mock.calls.length]);
      }
      expect(answers).toEqual([
        ['wrong password', 401, REFUSED, 1],
        ['locked (right password)', 401, REFUSED, 1],
        ['deactivated (right password)', 401, REFUSED, 1],
        ['unknown user', 401, REFUSED, 1],
      ]);
    } finally {
      verify.mockRestore();
    }
    expect((await events(lockedId, 'auth.login_failed')).at(-1)?.details.reason).toBe('locked');
    expect((await events(gone[0].id, 'auth.login_failed')).map((e) => e.details.reason)).toEqual(['inactive']);
  });

  it('failures, locks and unlocks are in the audit log the auditor reads', async () => {
    const res = await t.http
      .get('/api/audit-events?action=auth.')
      .set('authorization', `Bearer ${await t.token('auditor')}`)
      .expect(200);
    const actions = new Set(res.body.map((e: { action: string }) => e.action));
    // Successful logins are audited too (with their user); failures, locks and unlocks have no signed-in actor.
    expect(actions).toEqual(new Set(['auth.login', 'auth.login_failed', 'auth.account_locked', 'auth.account_unlocked']));
    expect(res.body.filter((e: { action: string }) => e.action !== 'auth.login').every((e: { actor: unknown }) => e.actor === null)).toBe(true);
    expect(res.body.filter((e: { action: string }) => e.action === 'auth.login').every((e: { actor: unknown }) => e.actor !== null)).toBe(true);
  });
});
