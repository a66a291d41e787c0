import { DataSource } from 'typeorm';
import type { AuthUser } from '../src/auth/auth-user';
import { AttachmentsService } from '../src/attachments/attachments.service';
import { CampaignsService } from '../src/campaigns/campaigns.service';
import { DemoSeedService } from '../src/demo/demo-seed.service';
import { DEMO_PASSWORD } from '../src/demo/demo-accounts';
import { assertMayRecord, ItemWriteService } from '../src/items/item-write.service';
import { UserDirectory } from '../src/users/user-directory';
import { createTestApp, TestApp } from './app';
import { bearer, chinaDay, createDraft, createUser, rectificationCampaign } from './factories';

/**
 * 三权分立 (GB/T 22239-2019 8.1.4.2 d, 8.1.5; issue 9): the admin manages org
 * units and accounts, the security admin roles, unlocking and the password
 * policy, the auditor reads the audit log. None does another's work, none signs
 * or uploads evidence, and the privileged roles are granted by two people.
 */
describe('三权分立: admin, security admin, auditor', () => {
  let t: TestApp;
  let db: DataSource;
  const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
  const THE_THREE = ['admin', 'security', 'auditor'] as const;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const as = async (username: string) => bearer(t, username);
  const login = (username: string, password = DEMO_PASSWORD) => t.http.post('/api/auth/login').send({ username, password });
  const audit = async (subjectId: string, action: string): Promise<Array<{ actor_id: string | null; details: Record<string, unknown> }>> =>
    db.query('SELECT actor_id, details FROM audit_events WHERE subject_id = $1 AND action = $2 ORDER BY created_at, id', [subjectId, action]);
  const rolesOf = async (id: string): Promise<string[]> => (await db.query('SELECT roles FROM users WHERE id = $1', [id]))[0].roles;
  /** An account the admin creates (no roles yet; `roles` become requests), password DEMO_PASSWORD. */
  const newAccount = async (username: string, orgUnitId: string, roles: string[] = []) => {
    const res = await t.http
      .post('/api/admin/users')
      .set('authorization', await as('admin'))
      .send({ username, displayName: `测试${username}`, orgUnitId, roles, password: DEMO_PASSWORD });
    expect([res.status, res.body.roles]).toEqual([201, []]);
    return res.body.id as string;
  };
  const pendingFor = async (userId: string) =>
    (
      await t.http
        .get(`/api/role-grants?status=pending&userId=${userId}`)
        .set('authorization', await as('security'))
        .expect(200)
    ).body as Array<{
      id: string;
      role: string;
    }>;

  it('the demo county has a security admin (安全管理员), county-wide, holding no other role', async () => {
    const me = (
      await t.http
        .get('/api/auth/me')
        .set('authorization', await as('security'))
        .expect(200)
    ).body;
    expect(me).toEqual(expect.objectContaining({ username: 'security', roles: ['security_admin'], roleLabels: ['安全管理员'] }));
    const scope = (
      await t.http
        .get('/api/auth/scope')
        .set('authorization', await as('security'))
        .expect(200)
    ).body;
    expect(scope.wholeCounty).toBe(true);
  });

  describe('none of them can do another’s work', () => {
    const ADMIN_WORK: Array<[string, string, object]> = [
      ['post', '/api/admin/org-units', { kind: 'township', name: '越权镇', parentId: NO_SUCH_ID }],
      ['post', '/api/admin/users', { username: 'sneaky', displayName: '越权', orgUnitId: NO_SUCH_ID, password: DEMO_PASSWORD }],
      ['patch', `/api/admin/users/${NO_SUCH_ID}`, { displayName: '改名' }],
      ['post', `/api/admin/users/${NO_SUCH_ID}/deactivate`, {}],
      ['post', `/api/admin/users/${NO_SUCH_ID}/reset-password`, { password: 'Another@2021x' }],
      ['post', '/api/role-grants', { userId: NO_SUCH_ID, role: 'county_office' }],
    ];
    const SECURITY_WORK: Array<[string, string, object]> = [
      ['put', `/api/users/${NO_SUCH_ID}/roles`, { roles: ['investigator'] }],
      ['post', `/api/users/${NO_SUCH_ID}/unlock`, {}],
      ['post', `/api/role-grants/${NO_SUCH_ID}/approve`, {}],
      ['post', `/api/role-grants/${NO_SUCH_ID}/reject`, { reason: '不同意' }],
      ['get', '/api/security/password-policy', {}],
      ['put', '/api/security/password-policy', { minLength: 8, minCharClasses: 3, maxAgeDays: 90, historySize: 5 }],
    ];
    const AUDITOR_WORK: Array<[string, string, object]> = [['get', '/api/audit-events', {}]];
    const call = async (username: string, [method, path, body]: [string, string, object]) => {
      const res = await (t.http as any)
        [method](path)
        .set('authorization', await as(username))
        .send(body);
      return [username, method.toUpperCase(), path, res.status, res.body.code];
    };

    it.each([
      ['admin', [...SECURITY_WORK, ...AUDITOR_WORK]],
      ['security', [...ADMIN_WORK, ...AUDITOR_WORK]],
      ['auditor', [...ADMIN_WORK, ...SECURITY_WORK]],
    ] as const)('%s: 403 on the others’ work', async (username, work) => {
      for (const w of work) {
        const [method, path] = w;
        expect(await call(username, w)).toEqual([username, method.toUpperCase(), path, 403, 'FORBIDDEN']);
      }
    });

    it('each does their own (the route lets them in: 404 for no such record, not 403)', async () => {
      expect(await call('admin', ADMIN_WORK[3])).toEqual(['admin', 'POST', ADMIN_WORK[3][1], 404, 'NOT_FOUND']);
      expect(await call('security', SECURITY_WORK[1])).toEqual(['security', 'POST', SECURITY_WORK[1][1], 404, 'NOT_FOUND']);
      expect(await call('auditor', AUDITOR_WORK[0])).toEqual(['auditor', 'GET', '/api/audit-events', 200, undefined]);
    });
  });

  describe('none of them signs, uploads evidence, records items or runs a campaign', () => {
    let campaignId: string;
    let pendingItemId: string;
    let draftId: string;
    beforeAll(async () => {
      campaignId = await rectificationCampaign(t, '三权分立');
      draftId = (await createDraft(t, campaignId, { description: '草稿：管理员不能改' })).id;
      pendingItemId = (await createDraft(t, campaignId, { description: '待审核：管理员不能审' })).id;
      await t.http
        .post(`/api/items/${pendingItemId}/events`)
        .set('authorization', await as('cadre'))
        .send({ type: 'SUBMIT' })
        .expect(200);
    });

    const footprint = async () =>
      (
        await db.query(
          `SELECT (SELECT count(*)::int FROM signatures) AS signatures, (SELECT count(*)::int FROM attachments) AS attachments,
                  (SELECT count(*)::int FROM problem_items) AS items, (SELECT count(*)::int FROM campaigns) AS campaigns,
                  (SELECT string_agg(state || ':' || version, ',' ORDER BY id) FROM problem_items) AS states`,
        )
      )[0];

    it.each(THE_THREE)('%s: every such route answers 403 and nothing is written', async (username) => {
      const auth = await as(username);
      const before = await footprint();
      const deadline = chinaDay(10);
      const answers: Array<[string, { status: number; body: { code?: string } }]> = [
        [
          'POST items',
          await t.http
            .post('/api/items')
            .set('authorization', auth)
            .send({ campaignId, orgUnitId: t.demo.orgUnits.datong.id, problemTypeCode: 'HQ-01', description: '越权' }),
        ],
        ['PATCH item', await t.http.patch(`/api/items/${draftId}`).set('authorization', auth).send({ description: '越权修改' })],
        [
          'CONFIRM',
          await t.http
            .post(`/api/items/${pendingItemId}/events`)
            .set('authorization', auth)
            .send({ type: 'CONFIRM', measures: '越权', rectifierId: t.demo.userIds.cadre, deadline }),
        ],
        [
          'batch RETURN',
          await t.http
            .post('/api/items/batch-events')
            .set('authorization', auth)
            .send({ type: 'RETURN', itemIds: [pendingItemId], reason: '越权' }),
        ],
        ['upload', await t.http.post('/api/attachments').set('authorization', auth).attach('file', Buffer.from('%PDF-1.4 x'), 'x.pdf')],
        ['new campaign', await t.http.post('/api/campaigns').set('authorization', auth).send({ preset: 'huoqiu', title: '越权', docNumber: '越〔2021〕1号' })],
        ['advance', await t.http.post(`/api/campaigns/${campaignId}/advance`).set('authorization', auth).send({})],
        ['archive', await t.http.post(`/api/campaigns/${campaignId}/archive`).set('authorization', auth).send({})],
        ['ledger import', await t.http.post(`/api/campaigns/${campaignId}/ledger`).set('authorization', auth).attach('file', Buffer.from('x'), 'l.xlsx')],
        ['summary report', await t.http.post(`/api/campaigns/${campaignId}/summary-reports`).set('authorization', auth).send({ text: '越权' })],
        [
          'notice',
          await t.http
            .post(`/api/campaigns/${campaignId}/notices`)
            .set('authorization', auth)
            .send({ recipientOrgUnitId: t.demo.orgUnits.chengguan.id, deadline, note: 'x' }),
        ],
      ];
      expect(answers.map(([what, r]) => [what, r.status, r.body.code])).toEqual(answers.map(([what]) => [what, 403, 'FORBIDDEN']));
      expect(await footprint()).toEqual(before);
    });

    it.each(THE_THREE)('%s: the services refuse too, when called past the route', async (username) => {
      const user = (await t.app.get(UserDirectory).activeUser(t.demo.userIds[username]))! as AuthUser;
      const request = { key: undefined, method: 'POST', route: '/test', body: {} };
      const before = await footprint();
      expect(() => assertMayRecord(user)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
      await expect(
        t.app
          .get(ItemWriteService)
          .applyEvent(user, pendingItemId, { type: 'CONFIRM', measures: '越权', rectifierId: t.demo.userIds.cadre, deadline: chinaDay(10) }, request),
      ).rejects.toMatchObject({ code: 'TRANSITION_REFUSED' });
      await expect(
        t.app
          .get(AttachmentsService)
          .upload(user, { buffer: Buffer.from('%PDF-1.4 y'), size: 10, originalname: 'y.pdf', mimetype: 'application/pdf' } as never),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(
        t.app.get(CampaignsService).create(user, { preset: 'huoqiu', title: '越权', docNumber: '越〔2021〕2号' } as never, request),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(t.app.get(CampaignsService).advance(user, campaignId, {} as never, request)).rejects.toMatchObject({ code: 'TRANSITION_REFUSED' });
      expect(await footprint()).toEqual(before);
    });

    it('a security admin is never offered as 整改责任人', async () => {
      const res = await t.http
        .get(`/api/directory/rectifiers?itemId=${pendingItemId}`)
        .set('authorization', await as('leader'))
        .expect(200);
      const ids = (res.body as Array<{ id: string }>).map((u) => u.id);
      expect(ids.length).toBeGreaterThan(0);
      for (const u of THE_THREE) expect([u, ids.includes(t.demo.userIds[u])]).toEqual([u, false]);
    });
  });

  describe('privileged roles need two people: the admin proposes, the security admin approves', () => {
    it('county_office: proposed, not yet held; approved, held at once — and the user’s old access ends', async () => {
      const id = await newAccount('office2', t.demo.countyId);
      // Before: an account without roles can say who it is and change its password, nothing else.
      const early = (await login('office2').expect(200)).body;
      const me = await t.http.get('/api/auth/me').set('authorization', `Bearer ${early.accessToken}`).expect(200);
      expect(me.body.roles).toEqual([]);
      const items = await t.http.get('/api/items').set('authorization', `Bearer ${early.accessToken}`).expect(403);
      expect(items.body).toEqual(expect.objectContaining({ code: 'FORBIDDEN', message: '账号尚未授予角色，请联系安全管理员' }));

      const proposed = await t.http
        .post('/api/role-grants')
        .set('authorization', await as('admin'))
        .send({ userId: id, role: 'county_office', reason: '新调入县巩固办' })
        .expect(201);
      expect(proposed.body).toEqual(
        expect.objectContaining({
          status: 'pending',
          statusLabel: '待批准',
          role: 'county_office',
          roleLabel: '县巩固办',
          user: expect.objectContaining({ id, username: 'office2' }),
          proposedBy: expect.objectContaining({ id: t.demo.userIds.admin }),
          reason: '新调入县巩固办',
          decidedBy: null,
        }),
      );
      expect(await rolesOf(id)).toEqual([]);
      // The admin sees it waiting, on the grant list and on the user.
      const admins = (
        await t.http
          .get('/api/admin/users')
          .set('authorization', await as('admin'))
          .expect(200)
      ).body as Array<{ id: string; pendingRoles: string[] }>;
      expect(admins.find((u) => u.id === id)?.pendingRoles).toEqual(['county_office']);
      // Neither the proposer nor the auditor can decide it; the security admin cannot propose.
      await t.http
        .post(`/api/role-grants/${proposed.body.id}/approve`)
        .set('authorization', await as('admin'))
        .send({})
        .expect(403);
      await t.http
        .post(`/api/role-grants/${proposed.body.id}/approve`)
        .set('authorization', await as('auditor'))
        .send({})
        .expect(403);
      await t.http
        .post('/api/role-grants')
        .set('authorization', await as('security'))
        .send({ userId: id, role: 'county_office' })
        .expect(403);
      // The same request twice is one request.
      const again = await t.http
        .post('/api/role-grants')
        .set('authorization', await as('admin'))
        .send({ userId: id, role: 'county_office' })
        .expect(409);
      expect(again.body.code).toBe('DUPLICATE');

      const approved = await t.http
        .post(`/api/role-grants/${proposed.body.id}/approve`)
        .set('authorization', await as('security'))
        .send({ comment: '已核实任职文件' })
        .expect(200);
      expect(approved.body).toEqual(
        expect.objectContaining({ status: 'approved', decidedBy: expect.objectContaining({ id: t.demo.userIds.security }), decisionComment: '已核实任职文件' }),
      );
      expect(await rolesOf(id)).toEqual(['county_office']);
      // The role change ended every session at once: the old access token and refresh token no longer work.
      expect((await t.http.get('/api/auth/me').set('authorization', `Bearer ${early.accessToken}`)).status).toBe(401);
      await t.http.post('/api/auth/refresh').send({ refreshToken: early.refreshToken }).expect(401);
      // Logged in again, the role works.
      const now = (await login('office2').expect(200)).body.accessToken as string;
      await t.http
        .post('/api/campaigns')
        .set('authorization', `Bearer ${now}`)
        .send({ preset: 'huoqiu', title: '二人授权后新建', docNumber: '霍扶组〔2021〕9号' })
        .expect(201);

      // Decided once: approving or rejecting again is 409.
      expect(
        (
          await t.http
            .post(`/api/role-grants/${proposed.body.id}/approve`)
            .set('authorization', await as('security'))
            .send({})
        ).status,
      ).toBe(409);
      expect(
        (
          await t.http
            .post(`/api/role-grants/${proposed.body.id}/reject`)
            .set('authorization', await as('security'))
            .send({ reason: '晚了' })
        ).status,
      ).toBe(409);

      // Every step is in the audit log, with who did it.
      expect(await audit(id, 'role_grant.propose')).toEqual([
        { actor_id: t.demo.userIds.admin, details: expect.objectContaining({ role: 'county_office', grantId: proposed.body.id, reason: '新调入县巩固办' }) },
      ]);
      expect(await audit(id, 'role_grant.approve')).toEqual([
        { actor_id: t.demo.userIds.security, details: expect.objectContaining({ role: 'county_office', grantId: proposed.body.id }) },
      ]);
      expect(await audit(id, 'user.roles_changed')).toEqual([
        {
          actor_id: t.demo.userIds.security,
          details: expect.objectContaining({ before: [], after: ['county_office'], via: 'grant', proposedBy: t.demo.userIds.admin }),
        },
      ]);
      const [session] = await db.query(`SELECT end_reason FROM sessions WHERE user_id = $1 ORDER BY created_at LIMIT 1`, [id]);
      expect(session.end_reason).toBe('roles_changed');
      // The auditor reads them through the API.
      const seen = (
        await t.http
          .get(`/api/audit-events?subjectId=${id}`)
          .set('authorization', await as('auditor'))
          .expect(200)
      ).body as Array<{ action: string }>;
      expect(seen.map((e) => e.action)).toEqual(expect.arrayContaining(['user.create', 'role_grant.propose', 'role_grant.approve', 'user.roles_changed']));
    });

    it('the roles an admin asks for when creating an account become requests; a security admin cannot set a privileged role directly', async () => {
      const id = await newAccount('secadm2', t.demo.countyId, ['security_admin']);
      const [grant] = await pendingFor(id);
      expect(grant.role).toBe('security_admin');
      const direct = await t.http
        .put(`/api/users/${id}/roles`)
        .set('authorization', await as('security'))
        .send({ roles: ['security_admin'] })
        .expect(400);
      expect(direct.body).toEqual(
        expect.objectContaining({
          code: 'VALIDATION_FAILED',
          details: [{ field: 'roles', message: expect.stringContaining('安全管理员角色须由系统管理员申请、安全管理员批准') }],
        }),
      );
      expect(await rolesOf(id)).toEqual([]);
      await t.http
        .post(`/api/role-grants/${grant.id}/approve`)
        .set('authorization', await as('security'))
        .send({})
        .expect(200);
      expect(await rolesOf(id)).toEqual(['security_admin']);
      expect((await audit(id, 'user.create'))[0].details).toEqual(expect.objectContaining({ requestedRoles: ['security_admin'] }));
    });

    it('a rejection needs a reason, grants nothing and is audited', async () => {
      const id = await newAccount('auditor2', t.demo.countyId, ['auditor']);
      const [grant] = await pendingFor(id);
      const noReason = await t.http
        .post(`/api/role-grants/${grant.id}/reject`)
        .set('authorization', await as('security'))
        .send({})
        .expect(400);
      expect(noReason.body.details).toEqual([{ field: 'reason', message: 'reason 不能为空：请说明驳回的理由' }]);
      const rejected = await t.http
        .post(`/api/role-grants/${grant.id}/reject`)
        .set('authorization', await as('security'))
        .send({ reason: '未见审批表' })
        .expect(200);
      expect(rejected.body).toEqual(expect.objectContaining({ status: 'rejected', statusLabel: '已驳回', decisionComment: '未见审批表' }));
      expect(await rolesOf(id)).toEqual([]);
      expect(await audit(id, 'role_grant.reject')).toEqual([{ actor_id: t.demo.userIds.security, details: expect.objectContaining({ reason: '未见审批表' }) }]);
      expect(await audit(id, 'user.roles_changed')).toEqual([]);
      expect(await pendingFor(id)).toEqual([]);
    });

    it.each([
      [{ role: 'county_office', userId: 'self' }, 409, 'CONFLICT', undefined],
      [{ role: 'township_leader', userId: 'datong-user' }, 400, 'VALIDATION_FAILED', 'role'],
      [{ role: 'auditor', userId: 'cadre' }, 400, 'VALIDATION_FAILED', 'role'],
      [{ role: 'investigator', userId: 'cadre' }, 409, 'CONFLICT', undefined],
      [{ role: 'county_office', userId: NO_SUCH_ID }, 400, 'VALIDATION_FAILED', 'userId'],
      [{ role: 'rectifier', userId: 'cadre' }, 400, 'VALIDATION_FAILED', 'role'],
      [{ role: 'county_office', userId: 'not-a-uuid' }, 400, 'VALIDATION_FAILED', 'userId'],
      [{ role: 'county_office', userId: 'cadre', reason: 'x'.repeat(201) }, 400, 'VALIDATION_FAILED', 'reason'],
    ])('a proposal %j is refused (%i %s), writing nothing', async (body, status, code, field) => {
      const userId =
        body.userId === 'self'
          ? t.demo.userIds.admin
          : body.userId === 'cadre'
            ? t.demo.userIds.cadre
            : body.userId === 'datong-user'
              ? t.demo.userIds.cadre2
              : body.userId;
      const before = (await db.query('SELECT count(*)::int AS n FROM role_grants'))[0].n;
      const res = await t.http
        .post('/api/role-grants')
        .set('authorization', await as('admin'))
        .send({ ...body, userId });
      expect([res.status, res.body.code]).toEqual([status, code]);
      if (field) expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(typeof res.body.message).toBe('string');
      expect((await db.query('SELECT count(*)::int AS n FROM role_grants'))[0].n).toBe(before);
    });

    it('nobody changes their own roles', async () => {
      const own = await t.http
        .put(`/api/users/${t.demo.userIds.security}/roles`)
        .set('authorization', await as('security'))
        .send({ roles: [] })
        .expect(409);
      expect(own.body).toEqual(expect.objectContaining({ code: 'CONFLICT', message: '不能修改自己的角色' }));
      const self = await t.http
        .post('/api/role-grants')
        .set('authorization', await as('admin'))
        .send({ userId: t.demo.userIds.admin, role: 'auditor' })
        .expect(409);
      expect(self.body.message).toBe('不能为自己申请角色');
      expect(await rolesOf(t.demo.userIds.security)).toEqual(['security_admin']);
      expect(await rolesOf(t.demo.userIds.admin)).toEqual(['admin']);
    });
  });

  describe('the security admin sets ordinary roles and revokes any; the change ends the user’s access at once', () => {
    it('sets investigator directly; the account’s old token answers 401 at once, a new login has the role', async () => {
      const id = await newAccount('village7', t.demo.orgUnits.qilimiao.id);
      const old = (await login('village7').expect(200)).body.accessToken as string;
      const res = await t.http
        .put(`/api/users/${id}/roles`)
        .set('authorization', await as('security'))
        .send({ roles: ['investigator'] })
        .expect(200);
      expect(res.body).toEqual(expect.objectContaining({ id, roles: ['investigator'], roleLabels: ['排查人'] }));
      expect((await t.http.get('/api/auth/me').set('authorization', `Bearer ${old}`)).status).toBe(401);
      const fresh = (await login('village7').expect(200)).body.accessToken as string;
      await t.http.get('/api/inbox').set('authorization', `Bearer ${fresh}`).expect(200);
      expect(await audit(id, 'user.roles_changed')).toEqual([
        { actor_id: t.demo.userIds.security, details: expect.objectContaining({ before: [], after: ['investigator'], via: 'direct' }) },
      ]);
      // Setting the same roles again changes nothing and ends nothing.
      await t.http
        .put(`/api/users/${id}/roles`)
        .set('authorization', await as('security'))
        .send({ roles: ['investigator'] })
        .expect(200);
      await t.http.get('/api/inbox').set('authorization', `Bearer ${fresh}`).expect(200);
      expect(await audit(id, 'user.roles_changed')).toHaveLength(1);
    });

    it('revokes a privileged role directly: the user can no longer act, at once', async () => {
      const id = await createUser(t, { username: 'office3', displayName: '县巩固办三', orgUnitId: t.demo.countyId, roles: ['county_office'] });
      const token = await as('office3');
      await t.http.get('/api/campaigns').set('authorization', token).expect(200);
      await t.http
        .put(`/api/users/${id}/roles`)
        .set('authorization', await as('security'))
        .send({ roles: [] })
        .expect(200);
      expect((await t.http.get('/api/campaigns').set('authorization', token)).status).toBe(401);
      const again = (await login('office3').expect(200)).body.accessToken as string;
      expect((await t.http.post('/api/campaigns').set('authorization', `Bearer ${again}`).send({ preset: 'huoqiu', title: 'x', docNumber: 'x' })).status).toBe(
        403,
      );
      expect(await rolesOf(id)).toEqual([]);
    });

    it.each([
      [['township_leader'], 'cadre2', '乡镇分管负责人不能授予「七里庙村」的人员'],
      [['investigator', 'auditor'], 'cadre2', '审计员角色须由系统管理员申请、安全管理员批准后授予，不能直接设置'],
      [['investigator', 'township_leader'], 'cadre2', '乡镇分管负责人不能授予「七里庙村」的人员'],
      [['inspector', 'rectifier'], 'cadre2', 'roles取值不在允许范围内'],
      ['investigator', 'cadre2', 'roles必须是数组'],
    ])('refuses roles %j for %s with 400 naming roles, changing nothing', async (roles, username, message) => {
      const id = t.demo.userIds[username];
      const before = await rolesOf(id);
      const res = await t.http
        .put(`/api/users/${id}/roles`)
        .set('authorization', await as('security'))
        .send({ roles })
        .expect(400);
      expect(res.body).toEqual(expect.objectContaining({ code: 'VALIDATION_FAILED', details: [{ field: 'roles', message }] }));
      expect(await rolesOf(id)).toEqual(before);
    });

    it('keeps the county’s last admin and last auditor: 409', async () => {
      // One admin, one auditor (auditor2's request was rejected): without them nobody could propose, nobody could read the audit log.
      const admin = await t.http
        .put(`/api/users/${t.demo.userIds.admin}/roles`)
        .set('authorization', await as('security'))
        .send({ roles: [] })
        .expect(409);
      expect(admin.body.message).toContain('本县唯一在用的系统管理员');
      const auditor = await t.http
        .put(`/api/users/${t.demo.userIds.auditor}/roles`)
        .set('authorization', await as('security'))
        .send({ roles: [] })
        .expect(409);
      expect(auditor.body.message).toContain('本县唯一在用的审计员');
      const deactivate = await t.http
        .post(`/api/admin/users/${t.demo.userIds.auditor}/deactivate`)
        .set('authorization', await as('admin'))
        .expect(409);
      expect(deactivate.body.message).toContain('本县唯一在用的审计员');
      expect(await rolesOf(t.demo.userIds.auditor)).toEqual(['auditor']);
      expect(await rolesOf(t.demo.userIds.admin)).toEqual(['admin']);
    });

    it('records of another county do not exist (404); a user of another county cannot be named (400)', async () => {
      const other = await t.app.get(DemoSeedService).seedBareCounty('沈丘县', '411624', 'sq-admin');
      const theirs = other.userIds['sq-admin'];
      const security = await as('security');
      for (const [method, path, body] of [
        ['put', `/api/users/${theirs}/roles`, { roles: [] }],
        ['post', `/api/users/${theirs}/unlock`, {}],
        ['post', `/api/users/${theirs}/reset-password`, { password: 'Other@County2021' }],
        ['post', `/api/role-grants/${NO_SUCH_ID}/approve`, {}],
      ] as const) {
        const res = await (t.http as any)[method](path).set('authorization', security).send(body);
        expect([path, res.status, res.body.code]).toEqual([path, 404, 'NOT_FOUND']);
      }
      const patch = await t.http
        .patch(`/api/admin/users/${theirs}`)
        .set('authorization', await as('admin'))
        .send({ displayName: 'x' });
      expect([patch.status, patch.body.code]).toEqual([404, 'NOT_FOUND']);
      const propose = await t.http
        .post('/api/role-grants')
        .set('authorization', await as('admin'))
        .send({ userId: theirs, role: 'auditor' })
        .expect(400);
      expect(propose.body.details).toEqual([{ field: 'userId', message: 'userId 所指的用户不存在' }]);
      expect(await rolesOf(theirs)).toEqual(['admin']);
      const theirGrants = (await t.http.get('/api/role-grants').set('authorization', security).expect(200)).body as Array<{ user: { id: string } }>;
      expect(theirGrants.some((g) => g.user.id === theirs)).toBe(false);
    });
  });

  describe('an account without roles can do nothing but say who it is and change its password', () => {
    it('walks every operation of the API: 403 everywhere else', async () => {
      await newAccount('noroles', t.demo.orgUnits.datong.id);
      const token = (await login('noroles').expect(200)).body.accessToken as string;
      const doc = (await t.http.get('/api/docs-json').expect(200)).body as {
        paths: Record<string, Record<string, { security?: unknown[] }>>;
      };
      const allowed = new Set(['GET /api/auth/me', 'POST /api/auth/change-password']);
      const publicOps = new Set(['GET /api/health', 'GET /api/health/live', 'POST /api/auth/login', 'POST /api/auth/refresh', 'POST /api/auth/logout']);
      const wrong: string[] = [];
      let walked = 0;
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const method of Object.keys(item).filter((m) => ['get', 'put', 'post', 'delete', 'patch'].includes(m))) {
          const op = `${method.toUpperCase()} ${path}`;
          if (publicOps.has(op)) continue;
          const res = await (t.http as any)
            [method](path.replace(/\{[^}]+\}/g, NO_SUCH_ID))
            .set('authorization', `Bearer ${token}`)
            .send({});
          walked++;
          const refused = res.status === 403 && res.body.code === 'FORBIDDEN';
          if (allowed.has(op) === refused) wrong.push(`${op} → ${res.status} ${res.body.code ?? ''}`);
        }
      }
      expect(walked).toBeGreaterThan(60);
      expect(wrong).toEqual([]);
    });
  });

  describe('unlocking is the security admin’s', () => {
    it('lifts a lock at once, audited; a second unlock is 409', async () => {
      const id = await createUser(t, { username: 'locked1', displayName: '被锁定', orgUnitId: t.demo.orgUnits.datong.id, roles: ['investigator'] });
      for (let i = 0; i < 5; i++) await login('locked1', `Wrong@${i}x2021`).expect(401);
      await login('locked1').expect(401);
      const list = (
        await t.http
          .get('/api/users')
          .set('authorization', await as('security'))
          .expect(200)
      ).body as Array<{ id: string; lockedUntil: string | null }>;
      const lockedUntil = list.find((u) => u.id === id)!.lockedUntil;
      expect(new Date(lockedUntil!).getTime()).toBeGreaterThan(Date.now());
      // Not the admin's to lift.
      await t.http
        .post(`/api/users/${id}/unlock`)
        .set('authorization', await as('admin'))
        .expect(403);

      const res = await t.http
        .post(`/api/users/${id}/unlock`)
        .set('authorization', await as('security'))
        .expect(200);
      expect(res.body).toEqual(expect.objectContaining({ id, lockedUntil: null }));
      await login('locked1').expect(200);
      expect(await audit(id, 'user.unlock')).toEqual([
        { actor_id: t.demo.userIds.security, details: expect.objectContaining({ username: 'locked1', lockedUntil }) },
      ]);
      const again = await t.http
        .post(`/api/users/${id}/unlock`)
        .set('authorization', await as('security'))
        .expect(409);
      expect(again.body).toEqual(expect.objectContaining({ code: 'CONFLICT', message: '被锁定的账号未被锁定' }));
    });
  });

  describe('passwords: the admin resets ordinary accounts, the security admin those of security admins and auditors', () => {
    it('the admin cannot reset a security admin’s or an auditor’s password (they would take the account over)', async () => {
      for (const u of ['security', 'auditor']) {
        const res = await t.http
          .post(`/api/admin/users/${t.demo.userIds[u]}/reset-password`)
          .set('authorization', await as('admin'))
          .send({ password: 'Taken@Over2021' });
        expect([u, res.status, res.body.code]).toEqual([u, 403, 'FORBIDDEN']);
      }
      await login('security').expect(200);
      await login('auditor').expect(200);
    });

    it('the security admin resets another security admin’s password, not an ordinary account’s nor their own', async () => {
      const other = (
        await t.http
          .get('/api/users')
          .set('authorization', await as('security'))
          .expect(200)
      ).body.find((u: { username: string }) => u.username === 'secadm2') as { id: string };
      await t.http
        .post(`/api/users/${other.id}/reset-password`)
        .set('authorization', await as('security'))
        .send({ password: 'Second@Admin2021' })
        .expect(200);
      await login('secadm2', 'Second@Admin2021').expect(200);
      const ordinary = await t.http
        .post(`/api/users/${t.demo.userIds.cadre3}/reset-password`)
        .set('authorization', await as('security'))
        .send({ password: 'Cadre@Three2021' })
        .expect(403);
      expect(ordinary.body.code).toBe('FORBIDDEN');
      const own = await t.http
        .post(`/api/users/${t.demo.userIds.security}/reset-password`)
        .set('authorization', await as('security'))
        .send({ password: 'Own@Reset2021' })
        .expect(409);
      expect(own.body.code).toBe('CONFLICT');
      await login('cadre3').expect(200);
    });
  });

  describe('the admin edits accounts (not their roles)', () => {
    it('renames, changes the phone, moves to a unit the roles fit — and refuses one they do not', async () => {
      const id = await createUser(t, { username: 'mover', displayName: '调动', orgUnitId: t.demo.orgUnits.datong.id, roles: ['investigator'] });
      const admin = await as('admin');
      const ok = await t.http
        .patch(`/api/admin/users/${id}`)
        .set('authorization', admin)
        .send({ displayName: '调动后', phone: '13900000001', orgUnitId: t.demo.orgUnits.qilimiao.id })
        .expect(200);
      expect(ok.body).toEqual(
        expect.objectContaining({ displayName: '调动后', phone: '13900000001', orgUnitId: t.demo.orgUnits.qilimiao.id, roles: ['investigator'] }),
      );
      const scope = (
        await t.http
          .get('/api/auth/scope')
          .set('authorization', await as('mover'))
          .expect(200)
      ).body;
      expect(JSON.stringify(scope)).toContain(t.demo.orgUnits.qilimiao.id);
      await t.http.patch(`/api/admin/users/${id}`).set('authorization', admin).send({ phone: null }).expect(200);
      expect((await db.query('SELECT phone FROM users WHERE id = $1', [id]))[0].phone).toBeNull();

      const misfit = await t.http.patch(`/api/admin/users/${id}`).set('authorization', admin).send({ orgUnitId: t.demo.orgUnits.ducha1.id }).expect(400);
      expect(misfit.body.details).toEqual([{ field: 'orgUnitId', message: expect.stringContaining('请先由安全管理员调整该用户的角色') }]);
      for (const [body, field] of [
        [{ displayName: null }, 'displayName'],
        [{ displayName: '' }, 'displayName'],
        [{ phone: '123' }, 'phone'],
        [{ orgUnitId: 'x' }, 'orgUnitId'],
        [{ orgUnitId: NO_SUCH_ID }, 'orgUnitId'],
        [{ roles: ['county_office'] }, 'roles'],
      ] as const) {
        const res = await t.http.patch(`/api/admin/users/${id}`).set('authorization', admin).send(body);
        expect([JSON.stringify(body), res.status, res.body.details?.map((d: { field: string }) => d.field)]).toEqual([JSON.stringify(body), 400, [field]]);
      }
      const row = (await db.query('SELECT display_name, org_unit_id, roles FROM users WHERE id = $1', [id]))[0];
      expect(row).toEqual({ display_name: '调动后', org_unit_id: t.demo.orgUnits.qilimiao.id, roles: ['investigator'] });
      expect((await audit(id, 'user.update')).map((e) => e.actor_id)).toEqual([t.demo.userIds.admin, t.demo.userIds.admin]);
    });

    it('deactivates and reactivates; each only once', async () => {
      const id = await createUser(t, { username: 'onoff', displayName: '停用再启用', orgUnitId: t.demo.orgUnits.datong.id, roles: ['investigator'] });
      const admin = await as('admin');
      const token = await as('onoff');
      await t.http.post(`/api/admin/users/${id}/deactivate`).set('authorization', admin).expect(200);
      expect((await t.http.get('/api/inbox').set('authorization', token)).status).toBe(401);
      await login('onoff').expect(401);
      expect((await t.http.post(`/api/admin/users/${id}/deactivate`).set('authorization', admin)).status).toBe(409);
      const back = await t.http.post(`/api/admin/users/${id}/reactivate`).set('authorization', admin).expect(200);
      expect(back.body).toEqual(expect.objectContaining({ active: true, roles: ['investigator'] }));
      await login('onoff').expect(200);
      expect((await t.http.post(`/api/admin/users/${id}/reactivate`).set('authorization', admin)).status).toBe(409);
      expect((await audit(id, 'user.reactivate')).map((e) => e.actor_id)).toEqual([t.demo.userIds.admin]);
    });
  });

  describe('the password policy is the security admin’s, stored per county, applied at once', () => {
    const POLICY = '/api/security/password-policy';

    it('starts from the configured defaults', async () => {
      const res = await t.http
        .get(POLICY)
        .set('authorization', await as('security'))
        .expect(200);
      expect(res.body).toEqual(
        expect.objectContaining({ minLength: 8, minCharClasses: 3, maxAgeDays: 90, historySize: 5, source: 'default', updatedAt: null, updatedBy: null }),
      );
    });

    it.each([
      [{ minLength: 7 }, 'minLength', 'minLength 不能小于 8（口令至少 8 位）'],
      [{ minLength: 65 }, 'minLength', 'minLength 不能大于 64'],
      [{ minLength: '12' }, 'minLength', 'minLength必须是整数'],
      [{ minCharClasses: 2 }, 'minCharClasses', 'minCharClasses 只能是 3 或 4（大写字母、小写字母、数字、符号中的至少三类或全部四类）'],
      [{ maxAgeDays: 0 }, 'maxAgeDays', 'maxAgeDays 不能小于 1（口令须定期更换）'],
      [{ maxAgeDays: 366 }, 'maxAgeDays', 'maxAgeDays 不能大于 365'],
      [{ historySize: 0 }, 'historySize', 'historySize 不能小于 1'],
      [{ historySize: 25 }, 'historySize', 'historySize 不能大于 24'],
      [{ historySize: undefined }, 'historySize', 'historySize必须是整数'],
      [{ extra: 1 }, 'extra', '不允许的字段：extra'],
    ])('refuses %j with 400 naming the field, changing nothing', async (override, field, message) => {
      const body = { minLength: 10, minCharClasses: 3, maxAgeDays: 60, historySize: 6, ...override };
      const res = await t.http
        .put(POLICY)
        .set('authorization', await as('security'))
        .send(body)
        .expect(400);
      expect(res.body).toEqual(expect.objectContaining({ code: 'VALIDATION_FAILED', details: [{ field, message }] }));
      expect((await db.query('SELECT count(*)::int AS n FROM password_policies'))[0].n).toBe(0);
    });

    it('a new policy applies to the next password set and to expiry at once, and is audited', async () => {
      // An account whose password was set 31 days ago: within the default 90 days, past a policy of 30.
      const aged = await createUser(t, { username: 'aged1', displayName: '旧密码', orgUnitId: t.demo.orgUnits.datong.id, roles: ['investigator'] });
      await db.query(`UPDATE users SET password_changed_at = now() - interval '31 days' WHERE id = $1`, [aged]);
      t.app.get(UserDirectory).forget(aged);
      const agedToken = (await login('aged1').expect(200)).body.accessToken as string;
      await t.http.get('/api/inbox').set('authorization', `Bearer ${agedToken}`).expect(200);

      const security = await as('security');
      const res = await t.http
        .put(POLICY)
        .set('authorization', security)
        .send({ minLength: 12, minCharClasses: 4, maxAgeDays: 30, historySize: 8 })
        .expect(200);
      expect(res.body).toEqual(
        expect.objectContaining({
          minLength: 12,
          minCharClasses: 4,
          maxAgeDays: 30,
          historySize: 8,
          source: 'county',
          updatedBy: t.demo.userIds.security,
          rules: expect.arrayContaining(['至少 12 位，最多 128 位', '包含大写字母、小写字母、数字、符号中的全部四类', '不能与最近 8 次使用过的密码相同']),
        }),
      );
      // Passwords set from now on follow it.
      const admin = await as('admin');
      const short = await t.http
        .post('/api/admin/users')
        .set('authorization', admin)
        .send({ username: 'policy1', displayName: '策略', orgUnitId: t.demo.orgUnits.datong.id, password: 'Village2021x' })
        .expect(400);
      expect(short.body.details).toEqual([{ field: 'password', message: '密码须包含大写字母、小写字母、数字、符号中的全部四类' }]);
      const shortToo = await t.http
        .post('/api/admin/users')
        .set('authorization', admin)
        .send({ username: 'policy1', displayName: '策略', orgUnitId: t.demo.orgUnits.datong.id, password: 'Vil#2021x' })
        .expect(400);
      expect(shortToo.body.details).toEqual([{ field: 'password', message: '密码至少 12 位' }]);
      await t.http
        .post('/api/admin/users')
        .set('authorization', admin)
        .send({ username: 'policy1', displayName: '策略', orgUnitId: t.demo.orgUnits.datong.id, password: 'Village#2021x' })
        .expect(201);
      // Users read the rules on /api/auth/me.
      const me = (
        await t.http
          .get('/api/auth/me')
          .set('authorization', await as('cadre'))
          .expect(200)
      ).body;
      expect(me.passwordRules).toEqual(expect.arrayContaining(['至少 12 位，最多 128 位']));
      // Expiry: the password set 31 days ago must now be changed, on the same session.
      const blocked = await t.http.get('/api/inbox').set('authorization', `Bearer ${agedToken}`).expect(403);
      expect(blocked.body.code).toBe('PASSWORD_CHANGE_REQUIRED');

      expect(await audit(t.demo.countyId, 'security.password_policy_changed')).toEqual([
        {
          actor_id: t.demo.userIds.security,
          details: {
            before: { minLength: 8, minCharClasses: 3, maxAgeDays: 90, historySize: 5 },
            after: { minLength: 12, minCharClasses: 4, maxAgeDays: 30, historySize: 8 },
            previousSource: 'default',
          },
        },
      ]);
      // Back to the defaults' numbers for whatever runs after.
      await t.http.put(POLICY).set('authorization', security).send({ minLength: 8, minCharClasses: 3, maxAgeDays: 90, historySize: 5 }).expect(200);
      await t.http.get('/api/inbox').set('authorization', `Bearer ${agedToken}`).expect(200);
    });
  });
});
