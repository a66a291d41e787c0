import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { totpCode } from '../src/auth/totp/otp';
import { TotpSecretBox } from '../src/auth/totp/totp-secret-box';
import { Clock } from '../src/common/clock';
import { DEMO_PASSWORD } from '../src/demo/demo-seed.service';
import { createTestApp, TEST_JWT_SECRET, TestApp } from './app';
import { createUser } from './factories';

/**
 * 等保 second factor (issue 9): TOTP (RFC 6238) enrolled by the user, asked
 * for at login after the right password, each code accepted once, recovery
 * codes single-use and stored hashed; county_office must enrol before doing
 * anything else. Runs with TOTP_REQUIRED_ROLES=county_office (admin stays
 * password-only here so the factories can create users).
 */
describe('second factor: TOTP', () => {
  let t: TestApp;
  let db: DataSource;
  const REFUSED = { statusCode: 401, code: 'INVALID_CREDENTIALS', message: '用户名或密码错误', details: [] };
  const RECOVERY_CODE = /^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/;

  beforeAll(async () => {
    t = await createTestApp({ TOTP_REQUIRED_ROLES: 'county_office' });
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const clock = () => t.app.get(Clock);
  /**
   * Moves the service clock (never back: used time steps stay used) to the
   * middle of the next 30-second step, so a code computed now belongs to the
   * step the server sees while the request runs.
   */
  const nextStep = () => clock().travel(30_000 - (clock().now().getTime() % 30_000) + 15_000);
  /** The code of `secret` for the step `steps` away from the service clock's. */
  const codeAt = (secret: string, steps = 0) => totpCode(secret, Math.floor(clock().now().getTime() / 1000) + steps * 30);

  const login = (username: string, extra: Record<string, unknown> = {}, password = DEMO_PASSWORD) =>
    t.http.post('/api/auth/login').send({ username, password, ...extra });
  const as = (token: string) => ({
    get: (url: string) => t.http.get(url).set('authorization', `Bearer ${token}`),
    post: (url: string, body: object = {}) => t.http.post(url).set('authorization', `Bearer ${token}`).send(body),
    delete: (url: string, body: object = {}) => t.http.delete(url).set('authorization', `Bearer ${token}`).send(body),
  });
  const newUser = async (username: string, roles = ['investigator']) => {
    const id = await createUser(t, { username, displayName: `测试${username}`, orgUnitId: t.demo.orgUnits.datong.id, roles });
    return { id, token: await t.token(username) };
  };
  /** Enrols and confirms an authenticator for the holder of `token`; answers its secret and recovery codes. */
  const enable = async (token: string) => {
    const started = await as(token).post('/api/auth/totp/enrol').expect(200);
    const confirmed = await as(token)
      .post('/api/auth/totp/confirm', { code: await codeAt(started.body.secret) })
      .expect(200);
    nextStep();
    return { secret: started.body.secret as string, recoveryCodes: confirmed.body.recoveryCodes as string[] };
  };
  const failures = async (userId: string): Promise<number> =>
    (await db.query('SELECT failed_login_count FROM users WHERE id = $1', [userId]))[0].failed_login_count;
  const events = async (userId: string, action: string): Promise<Array<{ actor_id: string | null; details: Record<string, unknown> }>> =>
    db.query('SELECT actor_id, details FROM audit_events WHERE subject_id = $1 AND action = $2 ORDER BY created_at, id', [userId, action]);

  it('enrols: a secret and an otpauth:// URI (issuer 清零), pending until a code confirms it; then ten recovery codes, once, stored hashed; the secret is sealed at rest', async () => {
    const { id, token } = await newUser('totp1');
    expect((await as(token).get('/api/auth/totp').expect(200)).body).toEqual({
      enabled: false,
      enabledAt: null,
      required: false,
      pending: false,
      recoveryCodesLeft: 0,
    });

    const started = await as(token).post('/api/auth/totp/enrol').expect(200);
    const { secret, uri } = started.body;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(started.body).toEqual({ secret, uri, issuer: '清零', accountName: 'totp1' });
    const parsed = new URL(uri);
    expect([parsed.protocol, parsed.host, decodeURIComponent(parsed.pathname)]).toEqual(['otpauth:', 'totp', '/清零:totp1']);
    expect(Object.fromEntries(parsed.searchParams)).toEqual(expect.objectContaining({ secret, issuer: '清零' }));
    expect((await as(token).get('/api/auth/totp').expect(200)).body).toEqual(expect.objectContaining({ enabled: false, pending: true }));
    // Pending is not on: the password alone still logs in.
    await login('totp1').expect(200);

    const [pending] = await db.query('SELECT secret, pending_secret FROM user_totp WHERE user_id = $1', [id]);
    expect(pending.secret).toBeNull();
    expect(pending.pending_secret).not.toContain(secret);

    const wrong = await as(token).post('/api/auth/totp/confirm', { code: await codeAt(secret, 3) });
    expect([wrong.status, wrong.body.code, wrong.body.details.map((d: { field: string }) => d.field)]).toEqual([400, 'VALIDATION_FAILED', ['code']]);

    const confirmed = await as(token)
      .post('/api/auth/totp/confirm', { code: await codeAt(secret) })
      .expect(200);
    const codes: string[] = confirmed.body.recoveryCodes;
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(RECOVERY_CODE);
    expect(new Set(codes).size).toBe(10);
    expect(Date.parse(confirmed.body.enabledAt)).not.toBeNaN();

    const [row] = await db.query('SELECT secret, enabled_at, pending_secret FROM user_totp WHERE user_id = $1', [id]);
    expect(row.pending_secret).toBeNull();
    expect(row.secret).not.toContain(secret);
    // Sealed with the key derived from JWT_SECRET (no TOTP_ENCRYPTION_KEY in this set-up).
    expect(new TotpSecretBox(TEST_JWT_SECRET).open(row.secret)).toBe(secret);
    // Each code is stored as SHA-256 of its own salt and the code: no code in clear, no two rows alike.
    const stored: Array<{ salt: string; code_hash: string }> = await db.query('SELECT salt, code_hash FROM totp_recovery_codes WHERE user_id = $1', [id]);
    expect(stored).toHaveLength(10);
    expect(new Set(stored.map((r) => r.salt)).size).toBe(10);
    const sha = (salt: string, c: string) =>
      createHash('sha256')
        .update(`${salt}:${c.replace(/-/g, '')}`)
        .digest('hex');
    expect(codes.every((c) => stored.some((r) => r.code_hash === sha(r.salt, c)))).toBe(true);
    expect(JSON.stringify(stored)).not.toMatch(new RegExp(codes.map((c) => c.replace(/-/g, '')).join('|')));

    expect((await as(token).get('/api/auth/totp').expect(200)).body).toEqual({
      enabled: true,
      enabledAt: new Date(row.enabled_at).toISOString(),
      required: false,
      pending: false,
      recoveryCodesLeft: 10,
    });
    expect((await as(token).get('/api/auth/me').expect(200)).body).toEqual(expect.objectContaining({ totpEnabled: true, totpEnrolmentRequired: false }));
    expect((await events(id, 'auth.totp_enrolment_started')).map((e) => e.actor_id)).toEqual([id]);
    expect(await events(id, 'auth.totp_enabled')).toEqual([{ actor_id: id, details: { replaced: false, recoveryCodes: 10 } }]);
    // Confirming again: nothing is pending any more.
    expect((await as(token).post('/api/auth/totp/confirm', { code: await codeAt(secret) })).body.code).toBe('CONFLICT');
  });

  it('login asks for the code only after the right password: none → TOTP_REQUIRED (not a failure), wrong → TOTP_INVALID (a failure); a wrong password answers exactly as before', async () => {
    const { id, token } = await newUser('totp2');
    const { secret } = await enable(token);

    const none = await login('totp2');
    expect([none.status, none.body.code, none.body.accessToken]).toEqual([401, 'TOTP_REQUIRED', undefined]);
    expect(none.body.message).toContain('动态验证码');
    expect(await failures(id)).toBe(0);

    // A wrong password, even with the right code, is the one answer every refusal gets.
    const wrongPassword = await login('totp2', { totpCode: await codeAt(secret) }, 'Wrong@2021x');
    expect([wrongPassword.status, wrongPassword.body]).toEqual([401, REFUSED]);
    expect(await failures(id)).toBe(1);

    const wrongCode = await login('totp2', { totpCode: await codeAt(secret, 5) });
    expect([wrongCode.status, wrongCode.body.code, wrongCode.body.message]).toEqual([401, 'TOTP_INVALID', '动态验证码不正确']);
    expect(await failures(id)).toBe(2);

    const ok = await login('totp2', { totpCode: await codeAt(secret) }).expect(200);
    expect(ok.body.accessToken).toEqual(expect.any(String));
    await as(ok.body.accessToken).get('/api/items').expect(200);
    expect(await failures(id)).toBe(0);
    expect((await events(id, 'auth.login_failed')).map((e) => e.details.reason)).toEqual(['wrong_password', 'wrong_totp']);

    const malformed = await login('totp2', { totpCode: '12ab56' });
    expect([malformed.status, malformed.body.code, malformed.body.details]).toEqual([
      400,
      'VALIDATION_FAILED',
      [{ field: 'totpCode', message: 'totpCode须为 6 位数字' }],
    ]);
  });

  it('wrong codes and wrong passwords share the lockout count: the fifth failure locks, and then even the right password and code are refused as before', async () => {
    const { id, token } = await newUser('totp3');
    const { secret } = await enable(token);
    for (let i = 0; i < 2; i++) expect((await login('totp3', {}, 'Wrong@2021x')).body).toEqual(REFUSED);
    for (let i = 0; i < 3; i++) expect((await login('totp3', { totpCode: await codeAt(secret, 4 + i) })).body.code).toBe('TOTP_INVALID');
    const [row] = await db.query('SELECT failed_login_count, locked_until FROM users WHERE id = $1', [id]);
    expect(row.failed_login_count).toBe(5);
    expect(row.locked_until).not.toBeNull();

    const locked = await login('totp3', { totpCode: await codeAt(secret) });
    expect([locked.status, locked.body]).toEqual([401, REFUSED]);
    // Locked: not even TOTP_REQUIRED gives away that the password was right.
    expect((await login('totp3')).body).toEqual(REFUSED);
    expect((await events(id, 'auth.login_failed')).map((e) => e.details.reason)).toEqual([
      'wrong_password',
      'wrong_password',
      'wrong_totp',
      'wrong_totp',
      'wrong_totp',
      'locked',
      'locked',
    ]);
    expect(await events(id, 'auth.account_locked')).toHaveLength(1);
  });

  it('accepts codes one step either side of now, not two', async () => {
    const { token } = await newUser('totp4');
    const { secret } = await enable(token);
    nextStep(); // the step before now must not be the one enrolment used up
    for (const steps of [2, -2]) expect((await login('totp4', { totpCode: await codeAt(secret, steps) })).body.code).toBe('TOTP_INVALID');
    await login('totp4', { totpCode: await codeAt(secret, -1) }).expect(200);
    await login('totp4', { totpCode: await codeAt(secret, 1) }).expect(200);
  });

  it('accepts each code once: the same code again, or one of an earlier step, is a replay (refused and counted); of two logins racing with one code, one gets in', async () => {
    const { id, token } = await newUser('totp5');
    const { secret } = await enable(token);
    const code = await codeAt(secret);
    await login('totp5', { totpCode: code }).expect(200);
    const replay = await login('totp5', { totpCode: code });
    expect([replay.status, replay.body.code]).toEqual([401, 'TOTP_INVALID']);
    expect(replay.body.message).toContain('已使用过');
    expect((await login('totp5', { totpCode: await codeAt(secret, -1) })).body.code).toBe('TOTP_INVALID');
    expect(await failures(id)).toBe(2);
    expect((await events(id, 'auth.login_failed')).map((e) => e.details.reason)).toEqual(['totp_replay', 'totp_replay']);

    nextStep();
    const fresh = await codeAt(secret);
    const raced = await Promise.all(Array.from({ length: 3 }, () => login('totp5', { totpCode: fresh })));
    expect(raced.map((r) => r.status).sort()).toEqual([200, 401, 401]);
    expect(raced.filter((r) => r.status === 401).map((r) => r.body.code)).toEqual(['TOTP_INVALID', 'TOTP_INVALID']);
    // The code used at login cannot be used again for account changes either.
    const reuse = await as(token).post('/api/auth/totp/recovery-codes', { code: fresh });
    expect([reuse.status, reuse.body.details[0].field]).toEqual([400, 'code']);
  });

  it('a recovery code logs in once (however it is typed); a used or wrong one is refused and counted; new codes void the old ones', async () => {
    const { id, token } = await newUser('totp6');
    const { secret, recoveryCodes } = await enable(token);
    const typed = recoveryCodes[0].toUpperCase().replace(/-/g, ' ');
    await login('totp6', { recoveryCode: typed }).expect(200);
    const again = await login('totp6', { recoveryCode: recoveryCodes[0] });
    expect([again.status, again.body.code, again.body.message]).toEqual([401, 'TOTP_INVALID', '恢复码不正确或已使用']);
    expect((await login('totp6', { recoveryCode: 'not-a-code' })).body.code).toBe('TOTP_INVALID');
    expect(await failures(id)).toBe(2);
    expect((await events(id, 'auth.login_failed')).map((e) => e.details.reason)).toEqual(['wrong_recovery_code', 'wrong_recovery_code']);
    expect(await events(id, 'auth.totp_recovery_code_used')).toEqual([{ actor_id: null, details: { username: 'totp6', at: 'login', left: 9 } }]);
    expect((await as(token).get('/api/auth/totp').expect(200)).body.recoveryCodesLeft).toBe(9);

    const wrong = await as(token).post('/api/auth/totp/recovery-codes', { code: await codeAt(secret, 4) });
    expect([wrong.status, wrong.body.code, wrong.body.details]).toEqual([400, 'VALIDATION_FAILED', [{ field: 'code', message: '动态验证码不正确' }]]);
    const renewed = await as(token)
      .post('/api/auth/totp/recovery-codes', { code: await codeAt(secret) })
      .expect(200);
    expect(renewed.body.recoveryCodes).toHaveLength(10);
    expect(renewed.body.recoveryCodes.filter((c: string) => recoveryCodes.includes(c))).toEqual([]);
    expect((await login('totp6', { recoveryCode: recoveryCodes[1] })).body.code).toBe('TOTP_INVALID');
    await login('totp6', { recoveryCode: renewed.body.recoveryCodes[1] }).expect(200);
    expect((await as(token).get('/api/auth/totp').expect(200)).body.recoveryCodesLeft).toBe(9);
    expect(await events(id, 'auth.totp_recovery_codes_regenerated')).toEqual([{ actor_id: id, details: { recoveryCodes: 10 } }]);
  });

  it('a county_office user without TOTP may only enrol: every other route answers 403 TOTP_ENROLMENT_REQUIRED until the authenticator is confirmed, and then the same session carries on', async () => {
    const county = await t.token('county');
    const blocked = await as(county).get('/api/items');
    expect(blocked.status).toBe(403);
    expect(blocked.body).toEqual({
      statusCode: 403,
      code: 'TOTP_ENROLMENT_REQUIRED',
      message: '您的角色须使用双因素认证，请先绑定动态验证码（身份验证器）',
      details: [],
    });
    for (const res of [await as(county).get('/api/auth/sessions'), await as(county).post('/api/campaigns', { preset: 'huoqiu', title: 'x', docNumber: 'y' })]) {
      expect([res.status, res.body.code]).toEqual([403, 'TOTP_ENROLMENT_REQUIRED']);
    }
    expect((await as(county).get('/api/auth/me').expect(200)).body).toEqual(
      expect.objectContaining({ username: 'county', totpEnabled: false, totpEnrolmentRequired: true }),
    );
    expect((await as(county).get('/api/auth/totp').expect(200)).body).toEqual(expect.objectContaining({ required: true, enabled: false }));
    // Other roles are not held back.
    await as(await t.token('leader'))
      .get('/api/items')
      .expect(200);

    const { secret } = await enable(county);
    await as(county).get('/api/items').expect(200);
    expect((await as(county).get('/api/auth/me').expect(200)).body).toEqual(expect.objectContaining({ totpEnabled: true, totpEnrolmentRequired: false }));
    expect((await login('county')).body.code).toBe('TOTP_REQUIRED');
    await login('county', { totpCode: await codeAt(secret) }).expect(200);

    // Required: it cannot be turned off, whatever is presented.
    nextStep();
    const off = await as(county).delete('/api/auth/totp', { password: DEMO_PASSWORD, code: await codeAt(secret) });
    expect([off.status, off.body.code, off.body.message]).toEqual([403, 'FORBIDDEN', '您的角色须使用双因素认证，不能关闭']);
    expect((await as(county).get('/api/auth/totp').expect(200)).body.enabled).toBe(true);
  });

  it('turning TOTP off takes the password and a code (wrong ones: 400 naming the field, counted as failures); afterwards the password alone logs in', async () => {
    const { id, token } = await newUser('totp7');
    const { secret } = await enable(token);
    const empty = await as(token).delete('/api/auth/totp');
    expect([empty.status, empty.body.details.map((d: { field: string }) => d.field).sort()]).toEqual([400, ['code', 'password']]);
    const badPassword = await as(token).delete('/api/auth/totp', { password: 'Wrong@2021x', code: await codeAt(secret) });
    expect([badPassword.status, badPassword.body.details]).toEqual([400, [{ field: 'password', message: '密码不正确' }]]);
    const badCode = await as(token).delete('/api/auth/totp', { password: DEMO_PASSWORD, code: await codeAt(secret, 3) });
    expect([badCode.status, badCode.body.details]).toEqual([400, [{ field: 'code', message: '动态验证码不正确' }]]);
    expect(await failures(id)).toBe(2);
    expect((await as(token).get('/api/auth/totp').expect(200)).body.enabled).toBe(true);

    await as(token)
      .delete('/api/auth/totp', { password: DEMO_PASSWORD, code: await codeAt(secret) })
      .expect(204);
    expect(await db.query('SELECT 1 FROM user_totp WHERE user_id = $1 UNION ALL SELECT 1 FROM totp_recovery_codes WHERE user_id = $1', [id])).toEqual([]);
    await login('totp7').expect(200);
    expect((await events(id, 'auth.totp_disabled')).map((e) => e.actor_id)).toEqual([id]);
    const again = await as(token).delete('/api/auth/totp', { password: DEMO_PASSWORD, code: '123456' });
    expect([again.status, again.body.code]).toEqual([409, 'CONFLICT']);
  });

  it('replacing the authenticator takes a code from the current one, which keeps working until the new one is confirmed', async () => {
    const { token } = await newUser('totp8');
    const old = await enable(token);
    const noCode = await as(token).post('/api/auth/totp/enrol');
    expect([noCode.status, noCode.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['code']]);
    const started = await as(token)
      .post('/api/auth/totp/enrol', { code: await codeAt(old.secret) })
      .expect(200);
    expect(started.body.secret).not.toBe(old.secret);
    nextStep();
    await login('totp8', { totpCode: await codeAt(old.secret) }).expect(200);
    const confirmed = await as(token)
      .post('/api/auth/totp/confirm', { code: await codeAt(started.body.secret) })
      .expect(200);
    nextStep();
    expect((await login('totp8', { totpCode: await codeAt(old.secret) })).body.code).toBe('TOTP_INVALID');
    await login('totp8', { totpCode: await codeAt(started.body.secret) }).expect(200);
    // The old recovery codes went with the old authenticator.
    expect((await login('totp8', { recoveryCode: old.recoveryCodes[0] })).body.code).toBe('TOTP_INVALID');
    await login('totp8', { recoveryCode: confirmed.body.recoveryCodes[0] }).expect(200);
  });

  it('bad input is a 400 naming the field in Chinese; out-of-order calls are 409 — never a 5xx', async () => {
    const { token } = await newUser('totp9');
    const cases: Array<
      [string, () => Promise<{ status: number; body: { code: string; details: Array<{ field: string; message: string }> } }>, number, string, string?]
    > = [
      ['confirm, no code', () => as(token).post('/api/auth/totp/confirm'), 400, 'VALIDATION_FAILED', 'code'],
      ['confirm, letters', () => as(token).post('/api/auth/totp/confirm', { code: 'abcdef' }), 400, 'VALIDATION_FAILED', 'code'],
      ['confirm, nothing pending', () => as(token).post('/api/auth/totp/confirm', { code: '123456' }), 409, 'CONFLICT'],
      ['recovery codes, TOTP off', () => as(token).post('/api/auth/totp/recovery-codes', { code: '123456' }), 409, 'CONFLICT'],
      ['recovery codes, code too long', () => as(token).post('/api/auth/totp/recovery-codes', { code: 'x'.repeat(65) }), 400, 'VALIDATION_FAILED', 'code'],
      ['enrol, unknown field', () => as(token).post('/api/auth/totp/enrol', { secret: 'JBSWY3DPEHPK3PXP' }), 400, 'VALIDATION_FAILED', 'secret'],
      ['login, recovery code too long', () => login('totp9', { recoveryCode: 'x'.repeat(65) }), 400, 'VALIDATION_FAILED', 'recoveryCode'],
      ['login, totpCode a number', () => login('totp9', { totpCode: 123456 }), 400, 'VALIDATION_FAILED', 'totpCode'],
    ];
    for (const [label, call, status, code, field] of cases) {
      const res = await call();
      expect({ label, status: res.status, code: res.body.code }).toEqual({ label, status, code });
      if (field) {
        expect(res.body.details.map((d) => d.field)).toContain(field);
        expect(res.body.details.every((d) => /[\u4e00-\u9fff]/.test(d.message))).toBe(true);
      }
    }
  });

  it('every TOTP change is in the audit log the auditor reads', async () => {
    const res = await t.http
      .get('/api/audit-events?action=auth.&limit=500')
      .set('authorization', `Bearer ${await t.token('auditor')}`)
      .expect(200);
    const actions: string[] = res.body.map((e: { action: string }) => e.action);
    expect(new Set(actions.filter((a) => a.startsWith('auth.totp_')))).toEqual(
      new Set([
        'auth.totp_enrolment_started',
        'auth.totp_enabled',
        'auth.totp_disabled',
        'auth.totp_recovery_codes_regenerated',
        'auth.totp_recovery_code_used',
      ]),
    );
  });
});
