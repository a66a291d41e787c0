import { DEMO_PASSWORD } from '../src/demo/demo-seed.service';
import { createTestApp, TestApp } from './app';

describe('admin API', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = `Bearer ${await t.token('admin')}`;
  });
  afterAll(() => t.close());

  const adminRoutes: Array<[string, string]> = [
    ['get', '/api/admin/org-units'],
    ['post', '/api/admin/org-units'],
    ['get', '/api/admin/users'],
    ['post', '/api/admin/users'],
  ];

  it.each(['county', 'leader', 'cadre', 'dept', 'inspector', 'security', 'auditor'])('refuses %s on every admin route with 403', async (username) => {
    const token = `Bearer ${await t.token(username)}`;
    for (const [method, path] of adminRoutes) {
      const res = await (t.http as any)[method](path).set('authorization', token).send({});
      expect([path, res.status, res.body.code]).toEqual([path, 403, 'FORBIDDEN']);
    }
    const reset = await t.http.post(`/api/admin/users/${t.demo.userIds.cadre}/reset-password`).set('authorization', token).send({ password: 'Abcdef123' });
    expect(reset.status).toBe(403);
  });

  it('refuses anonymous callers with 401', async () => {
    await t.http.get('/api/admin/users').expect(401);
  });

  it('creates a village under a township and lists it in tree order', async () => {
    const res = await t.http
      .post('/api/admin/org-units')
      .set('authorization', admin)
      .send({ kind: 'village', name: '城关镇新华村', parentId: t.demo.orgUnits.chengguan.id, code: '341522100201' })
      .expect(201);
    expect(res.body).toEqual(
      expect.objectContaining({ kind: 'village', kindLabel: '行政村（社区）', parentId: t.demo.orgUnits.chengguan.id, code: '341522100201' }),
    );
    const list = (await t.http.get('/api/admin/org-units').set('authorization', admin).expect(200)).body as Array<{ id: string; name: string }>;
    const names = list.map((o) => o.name);
    expect(names[0]).toBe('霍邱县');
    // Villages follow their township.
    expect(names.indexOf('城关镇新华村')).toBeGreaterThan(names.indexOf('城关镇'));
    expect(list).toHaveLength(16);
  });

  it.each([
    [{ kind: 'village', name: '错挂村', parentId: 'county' }, 'parentId', 'parentId 必须是乡镇'],
    [{ kind: 'township', name: '', parentId: 'county' }, 'name', 'name不能为空'],
    [{ kind: 'county', name: '新县', parentId: 'county' }, 'kind', 'kind取值不在允许范围内'],
    [{ kind: 'township', name: '某镇', parentId: 'county', code: '3415' }, 'code', 'code 必须是 6、9 或 12 位数字的统计用区划代码'],
    [{ kind: 'township', name: '某镇', parentId: 'not-a-uuid' }, 'parentId', 'parentId必须是有效的 UUID'],
  ])('rejects a bad org unit %# with 400 naming the field', async (body, field, message) => {
    const payload = { ...body, parentId: body.parentId === 'county' ? t.demo.countyId : body.parentId };
    const before = (await t.http.get('/api/admin/org-units').set('authorization', admin)).body.length;
    const res = await t.http.post('/api/admin/org-units').set('authorization', admin).send(payload).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details).toEqual(expect.arrayContaining([{ field, message }]));
    expect((await t.http.get('/api/admin/org-units').set('authorization', admin)).body.length).toBe(before);
  });

  it('refuses a duplicate division code with 409', async () => {
    const res = await t.http
      .post('/api/admin/org-units')
      .set('authorization', admin)
      .send({ kind: 'township', name: '重复镇', parentId: t.demo.countyId, code: '341522100000' })
      .expect(409);
    expect(res.body).toEqual(expect.objectContaining({ code: 'DUPLICATE', details: [{ field: 'code', message: 'code 已存在' }] }));
  });

  it('creates a user who can log in, with the requested roles waiting for the security admin, and lists users without password hashes', async () => {
    const created = await t.http
      .post('/api/admin/users')
      .set('authorization', admin)
      .send({
        username: 'cadre9',
        displayName: '钱九',
        phone: '13800000009',
        orgUnitId: t.demo.orgUnits.qilimiao.id,
        roles: ['investigator'],
        password: 'Village2021',
      })
      .expect(201);
    // 三权分立: the account has no role until a security admin approves the request.
    expect(created.body).toEqual(expect.objectContaining({ username: 'cadre9', roles: [], pendingRoles: ['investigator'], active: true, lockedUntil: null }));
    expect(JSON.stringify(created.body)).not.toContain('scrypt');
    await t.http.post('/api/auth/login').send({ username: 'cadre9', password: 'Village2021' }).expect(200);
    const users = (await t.http.get('/api/admin/users').set('authorization', admin).expect(200)).body;
    expect(users.map((u: { username: string }) => u.username)).toContain('cadre9');
    expect(JSON.stringify(users)).not.toMatch(/password/i);
  });

  it.each([
    [{ roles: ['admin', 'investigator'] }, 'roles'],
    [{ roles: ['security_admin', 'auditor'] }, 'roles'],
    [{ roles: ['township_leader'] }, 'roles'],
    [{ roles: ['rectifier'] }, 'roles'],
    [{ roles: 'investigator' }, 'roles'],
    [{ password: 'short1' }, 'password'],
    [{ password: 'onlyletters' }, 'password'],
    [{ username: 'has space' }, 'username'],
    [{ phone: '12345' }, 'phone'],
    [{ orgUnitId: '00000000-0000-4000-8000-000000000000' }, 'orgUnitId'],
  ])('rejects a bad user %# with 400 naming %s, writing nothing', async (override, field) => {
    const body = {
      username: 'newbie',
      displayName: '新人',
      orgUnitId: t.demo.orgUnits.datong.id,
      roles: ['investigator'],
      password: 'Village2021',
      ...override,
    };
    const res = await t.http.post('/api/admin/users').set('authorization', admin).send(body).expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    await t.http.post('/api/auth/login').send({ username: 'newbie', password: 'Village2021' }).expect(401);
  });

  it('refuses a duplicate username with 409', async () => {
    const res = await t.http
      .post('/api/admin/users')
      .set('authorization', admin)
      .send({ username: 'cadre', displayName: '重名', orgUnitId: t.demo.orgUnits.datong.id, roles: ['investigator'], password: 'Village2021' })
      .expect(409);
    expect(res.body.code).toBe('DUPLICATE');
  });

  it('resets a password: the old one stops working and old sessions are revoked', async () => {
    const session = (await t.http.post('/api/auth/login').send({ username: 'cadre2', password: DEMO_PASSWORD }).expect(200)).body;
    await t.http.post(`/api/admin/users/${t.demo.userIds.cadre2}/reset-password`).set('authorization', admin).send({ password: 'NewPass2022' }).expect(200);
    await t.http.post('/api/auth/login').send({ username: 'cadre2', password: DEMO_PASSWORD }).expect(401);
    await t.http.post('/api/auth/login').send({ username: 'cadre2', password: 'NewPass2022' }).expect(200);
    await t.http.post('/api/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
    const bad = await t.http.post(`/api/admin/users/${t.demo.userIds.cadre2}/reset-password`).set('authorization', admin).send({ password: 'x' }).expect(400);
    expect(bad.body.details[0].field).toBe('password');
  });

  it('answers 404 for an unknown or malformed user id', async () => {
    await t.http.post('/api/admin/users/00000000-0000-4000-8000-000000000000/deactivate').set('authorization', admin).expect(404);
    await t.http.post('/api/admin/users/zzz/deactivate').set('authorization', admin).expect(404);
  });

  it('sets a supervision group coverage and rejects non-townships', async () => {
    const group = t.demo.orgUnits.ducha1.id;
    const res = await t.http
      .put(`/api/admin/org-units/${group}/coverage`)
      .set('authorization', admin)
      .send({ townshipIds: [t.demo.orgUnits.chengguan.id, t.demo.orgUnits.zhouji.id] })
      .expect(200);
    expect(res.body.map((o: { name: string }) => o.name).sort()).toEqual(['周集镇', '城关镇'].sort());
    const bad = await t.http
      .put(`/api/admin/org-units/${group}/coverage`)
      .set('authorization', admin)
      .send({ townshipIds: [t.demo.orgUnits.datong.id] })
      .expect(400);
    expect(bad.body.details[0].field).toBe('townshipIds');
    const after = await t.http.get(`/api/admin/org-units/${group}/coverage`).set('authorization', admin).expect(200);
    expect(after.body).toHaveLength(2);
  });

  it('records admin actions in the audit log, readable by the auditor only', async () => {
    const auditor = `Bearer ${await t.token('auditor')}`;
    const res = await t.http.get('/api/audit-events').set('authorization', auditor).expect(200);
    const actions = res.body.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['org_unit.create', 'user.create', 'user.reset_password', 'org_unit.set_coverage']));
    expect(res.body[0].requestId).toBeTruthy();
    await t.http.get('/api/audit-events').set('authorization', admin).expect(403);
  });

  it('filters the audit log on the server by action (exact or prefix), actor, subject and time, naming the actor', async () => {
    const auditor = `Bearer ${await t.token('auditor')}`;
    const get = (query: string) => t.http.get(`/api/audit-events?${query}`).set('authorization', auditor);
    const created = (await get('action=user.create').expect(200)).body as Array<{
      action: string;
      actor: { username: string; displayName: string };
      subjectId: string;
    }>;
    expect(created.length).toBeGreaterThan(0);
    expect(created.every((e) => e.action === 'user.create')).toBe(true);
    expect(created[0].actor).toEqual(expect.objectContaining({ username: 'admin', displayName: expect.any(String) }));

    const users = (await get('action=user.').expect(200)).body as Array<{ action: string }>;
    expect(new Set(users.map((e) => e.action))).toEqual(new Set(['user.create', 'user.reset_password']));
    expect((await get(`actorId=${t.demo.userIds.admin}`).expect(200)).body.length).toBeGreaterThanOrEqual(users.length);
    // The cadre administered nothing: what the log holds of them is their own logins and refused routes.
    const cadre = (await get(`actorId=${t.demo.userIds.cadre}`).expect(200)).body as Array<{ action: string; actorId: string }>;
    expect(cadre.filter((e) => !['auth.login', 'access.denied'].includes(e.action) || e.actorId !== t.demo.userIds.cadre)).toEqual([]);
    const one = (await get(`subjectId=${created[0].subjectId}`).expect(200)).body as Array<{ subjectId: string }>;
    expect(one.length).toBeGreaterThan(0);
    expect(one.every((e) => e.subjectId === created[0].subjectId)).toBe(true);
    expect((await get(`from=${new Date(Date.now() + 60_000).toISOString()}`).expect(200)).body).toEqual([]);

    const bad = await get("action=user'; drop table users;--").expect(400);
    expect(bad.body.details[0].field).toBe('action');
    expect((await get('actorId=nope').expect(400)).body.details[0].field).toBe('actorId');
  });

  it('an admin cannot deactivate themselves', async () => {
    const res = await t.http.post(`/api/admin/users/${t.demo.userIds.admin}/deactivate`).set('authorization', admin).expect(409);
    expect(res.body.code).toBe('CONFLICT');
  });
});
