import { DataSource } from 'typeorm';
import { UserDirectory } from '../src/users/user-directory';
import { createTestApp, TestApp } from './app';

/** Password policy (issue 9): strength, blocklist, reuse, expiry, and the forced change of admin-given passwords. */
describe('password policy', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: string;
  const CHANGE_REQUIRED = { statusCode: 403, code: 'PASSWORD_CHANGE_REQUIRED', message: '密码已过期或由管理员设置，请先修改密码', details: [] };
  beforeAll(async () => {
    t = await createTestApp({ PASSWORD_CHANGE_ON_ADMIN_SET: 'true' });
    db = t.app.get(DataSource);
    admin = `Bearer ${await t.token('admin')}`;
  });
  afterAll(() => t.close());

  const login = async (username: string, password: string): Promise<string> => {
    const res = await t.http.post('/api/auth/login').send({ username, password });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    return `Bearer ${res.body.accessToken}`;
  };
  const change = (auth: string, currentPassword: string, newPassword: string) =>
    t.http.post('/api/auth/change-password').set('authorization', auth).send({ currentPassword, newPassword });
  const newUserBody = (username: string, password: string) => ({
    username,
    displayName: '新人',
    orgUnitId: t.demo.orgUnits.datong.id,
    roles: ['investigator'],
    password,
  });

  it.each([
    ['password1', '密码须包含大写字母、小写字母、数字、符号中的至少三类'],
    ['qwerty12', '密码须包含大写字母、小写字母、数字、符号中的至少三类'],
    ['1234567a', '密码须包含大写字母、小写字母、数字、符号中的至少三类'],
    ['Passw0rd!', '密码过于常见，容易被猜中，请换一个'],
    ['Qq123456', '密码过于常见，容易被猜中，请换一个'],
    // NUL never gets this far: the edge refuses it in any field (hostile-input spec); other control characters are the policy's.
    ['Good\u0007Pass1', '密码不能包含控制字符'],
    ['Xinren88@Cadre', '密码不能包含用户名'],
    ['Ab1!', '密码至少 8 位'],
  ])('admin cannot create a user with %j (400 naming password), and nothing is written', async (password, message) => {
    const res = await t.http.post('/api/admin/users').set('authorization', admin).send(newUserBody('xinren88', password)).expect(400);
    expect(res.body).toEqual(expect.objectContaining({ code: 'VALIDATION_FAILED', details: [{ field: 'password', message }] }));
    expect(await db.query('SELECT 1 FROM users WHERE username = $1', ['xinren88'])).toEqual([]);
  });

  it('a new user must change the admin-given password before anything else', async () => {
    const created = await t.http.post('/api/admin/users').set('authorization', admin).send(newUserBody('xinren1', 'Given@Pass1')).expect(201);
    // 三权分立: the role the admin asked for is the security admin's to grant.
    const security = `Bearer ${await t.token('security')}`;
    const [grant] = (await t.http.get(`/api/role-grants?userId=${created.body.id}`).set('authorization', security).expect(200)).body;
    await t.http.post(`/api/role-grants/${grant.id}/approve`).set('authorization', security).send({}).expect(200);
    const auth = await login('xinren1', 'Given@Pass1');
    const items = await t.http.get('/api/items').set('authorization', auth);
    expect([items.status, items.body]).toEqual([403, CHANGE_REQUIRED]);
    expect((await t.http.get('/api/auth/scope').set('authorization', auth)).status).toBe(403);
    const me = await t.http.get('/api/auth/me').set('authorization', auth).expect(200);
    expect(me.body).toEqual(
      expect.objectContaining({ username: 'xinren1', passwordChangeRequired: true, passwordRules: expect.arrayContaining(['不能包含用户名']) }),
    );

    const bad = await change(auth, 'Given@Pass1', 'qwerty12').expect(400);
    expect(bad.body.details).toEqual([{ field: 'newPassword', message: '密码须包含大写字母、小写字母、数字、符号中的至少三类' }]);
    const same = await change(auth, 'Given@Pass1', 'Given@Pass1').expect(400);
    expect(same.body.details).toEqual([{ field: 'newPassword', message: '新密码不能与最近 5 次使用过的密码相同' }]);
    const wrongCurrent = await change(auth, 'Wrong@Pass1', 'Mine#2021ok').expect(400);
    expect(wrongCurrent.body.details).toEqual([{ field: 'currentPassword', message: '当前密码不正确' }]);

    await change(auth, 'Given@Pass1', 'Mine#2021ok').expect(204);
    await t.http.get('/api/items').set('authorization', auth).expect(200);
    expect((await t.http.get('/api/auth/me').set('authorization', auth)).body.passwordChangeRequired).toBe(false);
    await t.http.post('/api/auth/login').send({ username: 'xinren1', password: 'Given@Pass1' }).expect(401);
    await login('xinren1', 'Mine#2021ok');
    const audit = await db.query(`SELECT actor_id FROM audit_events WHERE action = 'auth.password_changed' AND subject_id = actor_id`);
    expect(audit).toHaveLength(1);
  });

  it('a reset user gets PASSWORD_CHANGE_REQUIRED on /api/items and can change; a reset password must satisfy the policy', async () => {
    const weak = await t.http
      .post(`/api/admin/users/${t.demo.userIds.cadre}/reset-password`)
      .set('authorization', admin)
      .send({ password: '1234567a' })
      .expect(400);
    expect(weak.body.details[0].field).toBe('password');
    const withName = await t.http
      .post(`/api/admin/users/${t.demo.userIds.cadre}/reset-password`)
      .set('authorization', admin)
      .send({ password: 'MyCadre#2021' })
      .expect(400);
    expect(withName.body.details).toEqual([{ field: 'password', message: '密码不能包含用户名' }]);

    await t.http.post(`/api/admin/users/${t.demo.userIds.cadre}/reset-password`).set('authorization', admin).send({ password: 'Reset#Pass9' }).expect(200);
    const auth = await login('cadre', 'Reset#Pass9');
    const items = await t.http.get('/api/items').set('authorization', auth);
    expect([items.status, items.body]).toEqual([403, CHANGE_REQUIRED]);
    await change(auth, 'Reset#Pass9', 'Village#Own7').expect(204);
    await t.http.get('/api/items').set('authorization', auth).expect(200);
  });

  it('refuses each of the last 5 passwords and accepts the 6th back', async () => {
    const passwords = ['Town@Start1', 'Second#Pw22', 'Third#Pw33', 'Fourth#Pw44', 'Fifth#Pw55', 'Sixth#Pw66'];
    await t.http.post(`/api/admin/users/${t.demo.userIds.leader}/reset-password`).set('authorization', admin).send({ password: passwords[0] }).expect(200);
    let auth = await login('leader', passwords[0]);
    for (let i = 1; i < passwords.length; i++) await change(auth, passwords[i - 1], passwords[i]).expect(204);
    // History now holds passwords 1–5 (current: Sixth); the first is out of it.
    for (const old of passwords.slice(1)) {
      const res = await change(auth, 'Sixth#Pw66', old).expect(400);
      expect(res.body.details).toEqual([{ field: 'newPassword', message: '新密码不能与最近 5 次使用过的密码相同' }]);
    }
    await change(auth, 'Sixth#Pw66', passwords[0]).expect(204);
    auth = await login('leader', passwords[0]);
    await t.http.get('/api/items').set('authorization', auth).expect(200);
    const [{ n }] = await db.query('SELECT count(*)::int AS n FROM password_history WHERE user_id = $1', [t.demo.userIds.leader]);
    expect(n).toBe(5);
  });

  it('a password older than 90 days must be changed', async () => {
    const id = t.demo.userIds.leader2;
    await db.query(`UPDATE users SET password_changed_at = now() - interval '89 days' WHERE id = $1`, [id]);
    t.app.get(UserDirectory).forget(id);
    const r = await t.http.get('/api/items').set('authorization', `Bearer ${await t.token('leader2')}`);
    expect([r.status, r.body.code]).toEqual([200, undefined]);

    await db.query(`UPDATE users SET password_changed_at = now() - interval '91 days' WHERE id = $1`, [id]);
    t.app.get(UserDirectory).forget(id);
    const auth = await t.token('leader2');
    const items = await t.http.get('/api/items').set('authorization', `Bearer ${auth}`);
    expect([items.status, items.body]).toEqual([403, CHANGE_REQUIRED]);
    expect((await t.http.get('/api/auth/me').set('authorization', `Bearer ${auth}`)).body.passwordChangeRequired).toBe(true);
    await change(`Bearer ${auth}`, 'Demo@2021', 'Hekou#Lead2').expect(204);
    await t.http.get('/api/items').set('authorization', `Bearer ${auth}`).expect(200);
  });

  it('logout and refresh stay open to a user who must change their password', async () => {
    await t.http.post(`/api/admin/users/${t.demo.userIds.dept}/reset-password`).set('authorization', admin).send({ password: 'Office#Reset1' }).expect(200);
    const res = await t.http.post('/api/auth/login').send({ username: 'dept', password: 'Office#Reset1' }).expect(200);
    await t.http.post('/api/auth/refresh').send({ refreshToken: res.body.refreshToken }).expect(200);
    await t.http.post('/api/auth/logout').send({ refreshToken: res.body.refreshToken }).expect(204);
  });
});
