import { PROBLEM_ITEM_EVENT_TYPES, PROBLEM_ITEM_STATES } from '../workflows';
import { AttachmentsService } from '../src/attachments/attachments.service';
import { toAuthUser } from '../src/auth/auth.service';
import { CampaignsService } from '../src/campaigns/campaigns.service';
import { Clock } from '../src/common/clock';
import { XLSX_MIME } from '../src/common/xlsx-response';
import { seedDemoLedger } from '../src/demo/demo-ledger';
import { DEMO_PASSWORD } from '../src/demo/demo-seed.service';
import { ItemWriteService } from '../src/items/item-write.service';
import { UsersService } from '../src/users/users.service';
import type { Test } from 'supertest';
import { createTestApp, TestApp } from './app';
import { createUser } from './factories';

/**
 * The console's API client is generated from /api/docs-json, so the document
 * must say what every operation answers, and say it truly: besides checking
 * the document itself, real answers of the running service are validated
 * against the schemas it documents for them.
 */

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  type?: string;
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
}
interface ResponseObject {
  content?: Record<string, { schema?: Schema }>;
}
interface Operation {
  operationId: string;
  responses: Record<string, ResponseObject>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

function operations(doc: OpenApiDocument): Array<{ name: string; op: Operation }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
  );
}

/** A 2xx answer with a schema for its content, or a 204 with no content. */
function hasSuccessSchema(op: Operation): boolean {
  return Object.entries(op.responses).some(
    ([status, r]) => /^2\d\d$/.test(status) && (status === '204' ? !r.content : Object.values(r.content ?? {}).some((c) => !!c.schema)),
  );
}

/** `schema` with `$ref`s and `allOf`s merged into one; keeps `oneOf` as it is. */
function flatten(doc: OpenApiDocument, schema: Schema): Schema {
  if (schema.$ref) return flatten(doc, doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')]);
  if (!schema.allOf) return schema;
  const { allOf, ...own } = schema;
  return allOf
    .map((s) => flatten(doc, s))
    .reduce<Schema>(
      (acc, s) => ({
        ...s,
        ...acc,
        properties: { ...s.properties, ...acc.properties },
        required: [...(s.required ?? []), ...(acc.required ?? [])],
      }),
      own,
    );
}

/**
 * Checks `value` against `schema` as openapi-typescript reads it: types,
 * enums, nullability, required properties, and no property the schema does
 * not declare (a mapper and its documented class must agree both ways).
 */
function violations(doc: OpenApiDocument, schema: Schema, value: unknown, at = '$'): string[] {
  const s = flatten(doc, schema);
  if (value === null) return s.nullable ? [] : [`${at}: null but not nullable`];
  if (s.oneOf) {
    const each = s.oneOf.map((member) => violations(doc, member, value, at));
    return each.some((v) => v.length === 0) ? [] : [`${at}: matches none of oneOf (${each.map((v) => v[0]).join(' | ')})`];
  }
  if (s.enum && !s.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in enum ${JSON.stringify(s.enum)}`];
  switch (s.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${at}: expected string, got ${JSON.stringify(value)}`];
    case 'number':
    case 'integer':
      return typeof value === 'number' ? [] : [`${at}: expected number, got ${JSON.stringify(value)}`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: expected boolean, got ${JSON.stringify(value)}`];
    case 'array':
      if (!Array.isArray(value)) return [`${at}: expected array`];
      return value.flatMap((v, i) => violations(doc, s.items ?? {}, v, `${at}[${i}]`));
  }
  if (s.type === 'object' || s.properties) {
    if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: expected object`];
    const obj = value as Record<string, unknown>;
    const props = s.properties ?? {};
    return [
      ...(s.required ?? []).filter((k) => !(k in obj)).map((k) => `${at}.${k}: required but missing`),
      ...Object.entries(obj).flatMap(([k, v]) => {
        if (props[k]) return violations(doc, props[k], v, `${at}.${k}`);
        return s.additionalProperties ? [] : [`${at}.${k}: not in the schema`];
      }),
    ];
  }
  return [];
}

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  const schemaOf = (path: string, method: string, status: string, type = 'application/json'): Schema => {
    const schema = doc.paths[path]?.[method]?.responses[status]?.content?.[type]?.schema;
    if (!schema) throw new Error(`no ${status} ${type} schema documented for ${method.toUpperCase()} ${path}`);
    return schema;
  };

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http.get('/api/docs-json').expect(200)).body as OpenApiDocument;
  });
  afterAll(() => t.close());

  it('declares a 2xx answer with a schema (or 204 without content) for every operation', () => {
    const offenders = operations(doc)
      .filter(({ op }) => !hasSuccessSchema(op))
      .map(({ name }) => name);
    expect(offenders).toEqual([]);
  });

  it("declares the common error shape as every operation's default answer", () => {
    const offenders = operations(doc)
      .filter(({ op }) => op.responses.default?.content?.['application/json']?.schema?.$ref !== '#/components/schemas/ErrorResponse')
      .map(({ name }) => name);
    expect(offenders).toEqual([]);
    const error = flatten(doc, { $ref: '#/components/schemas/ErrorResponse' });
    expect(error.required).toEqual(expect.arrayContaining(['statusCode', 'code', 'message', 'details']));
    expect(error.properties!.code.enum).toEqual(expect.arrayContaining(['VALIDATION_FAILED', 'TRANSITION_REFUSED', 'NOT_FOUND']));
  });

  it('names operations uniquely, by controller and handler', () => {
    const ids = operations(doc).map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/api/items/{id}'].get.operationId).toBe('Items_get');
  });

  it('documents request DTOs with their properties (the swagger plugin also runs under jest)', () => {
    const login = flatten(doc, { $ref: '#/components/schemas/LoginDto' });
    expect(Object.keys(login.properties ?? {})).toEqual(expect.arrayContaining(['username', 'password', 'refreshTokenIn']));
    expect(login.required).toEqual(['username', 'password']);
  });

  it('describes the shapes the console relies on', () => {
    const item = flatten(doc, schemaOf('/api/items/{id}', 'get', '200'));
    expect(item.required).toEqual(expect.arrayContaining(['availableActions', 'state', 'household', 'deadline']));
    expect(item.properties!.availableActions).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(item.properties!.availableActions.items!.enum).toEqual(expect.arrayContaining([...PROBLEM_ITEM_EVENT_TYPES]));
    expect([...(item.properties!.state.enum ?? [])].sort()).toEqual([...PROBLEM_ITEM_STATES].sort());
    expect(item.properties!.deadline.nullable).toBe(true);

    const inbox = schemaOf('/api/inbox', 'get', '200');
    expect(inbox.type).toBe('array');
    expect(flatten(doc, inbox.items!).required).toContain('availableActions');

    const page = flatten(doc, schemaOf('/api/items', 'get', '200'));
    expect(page.properties!.items.type).toBe('array');
    expect(page.properties!.nextCursor.nullable).toBe(true);

    const token = flatten(doc, schemaOf('/api/auth/login', 'post', '200'));
    expect(token.required).toEqual(expect.arrayContaining(['accessToken', 'tokenType', 'expiresIn']));
    expect(token.required).not.toContain('refreshToken');
    expect(token.properties!.refreshToken.type).toBe('string');

    expect(doc.paths['/api/auth/logout'].post.responses['204']).toBeDefined();
    expect(schemaOf('/api/campaigns/{id}/ledger.xlsx', 'get', '200', XLSX_MIME)).toEqual({ type: 'string', format: 'binary' });
    expect(schemaOf('/api/attachments/{id}', 'get', '200', 'application/pdf')).toEqual({ type: 'string', format: 'binary' });
    expect(doc.paths['/api/campaigns/{id}/ledger.xlsx'].get.responses.default.content).toHaveProperty(['application/json']);
  });

  describe('real answers conform to the documented schemas', () => {
    let campaignId: string;
    let itemIds: string[];
    const bearer = async (user: string) => `Bearer ${await t.token(user)}`;

    /**
     * Sends a request as `user` to `path` (a path of the document, `{name}`
     * filled from `params`; `params.query` is the query string), expects
     * `status` and checks the body against what the document says for it.
     */
    async function conforming(
      user: string | null,
      method: 'get' | 'post' | 'patch' | 'put',
      path: string,
      params: Record<string, string>,
      status: number,
      body?: object | ((req: Test) => Test),
    ) {
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]) + (params.query ? `?${params.query}` : '');
      let req = t.http[method](url);
      if (user) req = req.set('authorization', await bearer(user));
      const res = await (typeof body === 'function' ? body(req) : body ? req.send(body) : req);
      expect({ url, status: res.status, body: res.status === status ? undefined : res.body }).toEqual({ url, status, body: undefined });
      expect({ url, violations: violations(doc, schemaOf(path, method, String(status)), res.body) }).toEqual({ url, violations: [] });
      return res.body;
    }

    beforeAll(async () => {
      // The demo county's campaign: items in every state, escalations, extensions, reopenings and overdue ones.
      const users = t.app.get(UsersService);
      await seedDemoLedger(t.demo, {
        campaigns: t.app.get(CampaignsService),
        items: t.app.get(ItemWriteService),
        attachments: t.app.get(AttachmentsService),
        clock: t.app.get(Clock),
        user: async (username) => toAuthUser((await users.findActiveByUsername(username))!),
      });
      const campaigns = (await t.http.get('/api/campaigns').set('authorization', await bearer('county'))).body as Array<{ id: string }>;
      campaignId = campaigns[0].id;
      const page = (await t.http.get(`/api/items?campaignId=${campaignId}`).set('authorization', await bearer('county'))).body as {
        items: Array<{ id: string }>;
      };
      itemIds = page.items.map((i) => i.id);
      expect(itemIds.length).toBeGreaterThan(10);
    });

    it('login, refresh, the current user and their scope', async () => {
      const pair = await conforming(null, 'post', '/api/auth/login', {}, 200, { username: 'leader', password: DEMO_PASSWORD });
      expect(pair.refreshToken).toEqual(expect.any(String));
      const cookieForm = await conforming(null, 'post', '/api/auth/login', {}, 200, { username: 'leader', password: DEMO_PASSWORD, refreshTokenIn: 'cookie' });
      expect(cookieForm).not.toHaveProperty('refreshToken');
      await conforming(null, 'post', '/api/auth/refresh', {}, 200, { refreshToken: pair.refreshToken });
      for (const user of ['cadre', 'leader', 'dept', 'inspector', 'county']) {
        await conforming(user, 'get', '/api/auth/me', {}, 200);
        await conforming(user, 'get', '/api/auth/scope', {}, 200);
      }
    });

    it('items, the inbox, signatures and their verification', async () => {
      for (const user of ['county', 'leader', 'cadre', 'dept']) {
        await conforming(user, 'get', '/api/items', { query: `campaignId=${campaignId}&limit=200` }, 200);
      }
      for (const user of ['cadre', 'cadre2', 'cadre3', 'leader', 'leader2', 'county', 'dept', 'inspector'])
        await conforming(user, 'get', '/api/inbox', {}, 200);
      for (const id of itemIds) {
        await conforming('county', 'get', '/api/items/{id}', { id }, 200);
        await conforming('county', 'get', '/api/items/{id}/signatures', { id }, 200);
        await conforming('county', 'get', '/api/items/{id}/signatures/verify', { id }, 200);
      }
    });

    it('item writes, including the deleted draft of DISCARD', async () => {
      const { id } = await conforming('cadre', 'post', '/api/items', {}, 201, {
        campaignId,
        orgUnitId: t.demo.orgUnits.datong.id,
        problemTypeCode: 'HQ-01',
        description: '厨房墙体开裂',
        householdName: '孙立',
        householdIdNumber: '11010519491231002X',
      });
      await conforming('cadre', 'patch', '/api/items/{id}', { id }, 200, { remark: '已拍照' });
      const discarded = await conforming('cadre', 'post', '/api/items/{id}/events', { id }, 200, { type: 'DISCARD' });
      expect(discarded).toMatchObject({ deleted: true, state: 'discarded' });
      const evidence = await conforming('cadre', 'post', '/api/attachments', {}, 201, (req) =>
        req.attach('file', Buffer.from('%PDF-1.4 test'), '整改照片.pdf'),
      );
      expect(evidence.sha256).toMatch(/^[0-9a-f]{64}$/);
      // A batch: one item confirmed, one outside the leader's township (its slot carries the error shape).
      const draft = await conforming('cadre', 'post', '/api/items', {}, 201, {
        campaignId,
        orgUnitId: t.demo.orgUnits.datong.id,
        problemTypeCode: 'HQ-01',
        description: '院墙倒塌',
      });
      await conforming('cadre', 'post', '/api/items/{id}/events', { id: draft.id }, 200, { type: 'SUBMIT' });
      const elsewhere = await conforming('cadre3', 'post', '/api/items', {}, 201, {
        campaignId,
        orgUnitId: t.demo.orgUnits.hekou_a.id,
        problemTypeCode: 'HQ-01',
        description: '院墙倒塌',
      });
      const batch = await conforming('leader', 'post', '/api/items/batch-events', {}, 200, {
        type: 'CONFIRM',
        measures: '重建院墙',
        rectifierId: t.demo.userIds.cadre2,
        deadline: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10),
        itemIds: [draft.id, elsewhere.id],
      });
      expect(batch.results.map((r: { status: number }) => r.status)).toEqual([200, 404]);
    });

    it('campaigns, presets, workflows, notifications and the audit log', async () => {
      await conforming('county', 'get', '/api/campaign-presets', {}, 200);
      await conforming('county', 'get', '/api/campaigns', {}, 200);
      const detail = await conforming('county', 'get', '/api/campaigns/{id}', { id: campaignId }, 200);
      expect(detail.availableActions).toEqual(expect.any(Array));
      await conforming('county', 'get', '/api/campaigns/{id}/signatures', { id: campaignId }, 200);
      const created = await conforming('county', 'post', '/api/campaigns', {}, 201, { preset: 'shenqiu', title: '沈丘专项行动', docNumber: '沈扶〔2021〕1号' });
      await conforming('county', 'post', '/api/campaigns/{id}/advance', { id: created.id }, 200, {});
      await conforming('county', 'get', '/api/workflows', {}, 200);
      await conforming('county', 'get', '/api/workflows/{id}', { id: 'campaign' }, 200);
      for (const user of ['leader', 'cadre', 'dept', 'inspector']) await conforming(user, 'get', '/api/notifications', {}, 200);
      await conforming('auditor', 'get', '/api/audit-events', { query: 'limit=500' }, 200);
    });

    it('statistics, series, ranking, notices and summary reports', async () => {
      for (const user of ['county', 'leader', 'dept']) {
        await conforming(user, 'get', '/api/campaigns/{id}/stats', { id: campaignId }, 200);
        await conforming(user, 'get', '/api/campaigns/{id}/series', { id: campaignId, query: 'interval=week' }, 200);
        await conforming(user, 'get', '/api/campaigns/{id}/ranking', { id: campaignId }, 200);
        await conforming(user, 'get', '/api/campaigns/{id}/summary-reports', { id: campaignId }, 200);
      }
      await conforming('county', 'get', '/api/campaigns/{id}/stats', { id: campaignId, query: `townshipId=${t.demo.orgUnits.chengguan.id}` }, 200);
      const deadline = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
      const notice = await conforming('county', 'post', '/api/campaigns/{id}/notices', { id: campaignId }, 201, {
        recipientOrgUnitId: t.demo.orgUnits.chengguan.id,
        deadline,
        note: '限期整改',
      });
      await conforming('leader', 'get', '/api/notices', {}, 200);
      await conforming('leader', 'get', '/api/notices/{id}', { id: notice.id }, 200);
      await conforming('leader', 'post', '/api/notices/{id}/acknowledge', { id: notice.id }, 200);
      const replied = await conforming('leader', 'post', '/api/notices/{id}/reply', { id: notice.id }, 200, { text: '已整改' });
      expect(replied.reply).toMatchObject({ text: '已整改' });
      await conforming('county', 'get', '/api/notices/{id}', { id: notice.id }, 200);
    });

    it('notifications read marks, the unread count and delegations', async () => {
      await conforming('leader', 'get', '/api/notifications/unread-count', {}, 200);
      await conforming('county', 'get', '/api/delegations/candidates', {}, 200);
      const deputyId = await createUser(t, {
        username: 'oadeputy',
        displayName: '城关镇干部',
        orgUnitId: t.demo.orgUnits.chengguan.id,
        roles: ['investigator'],
      });
      const candidates = (await conforming('leader', 'get', '/api/delegations/candidates', {}, 200)) as Array<{ id: string }>;
      expect(candidates.map((c) => c.id)).toContain(deputyId);
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const created = await conforming('leader', 'post', '/api/delegations', {}, 201, {
        delegateId: deputyId,
        startsOn: today,
        endsOn: today,
        reason: '外出学习',
      });
      await conforming('leader', 'get', '/api/delegations', {}, 200);
      await conforming('leader', 'post', '/api/delegations/{id}/end', { id: created.id }, 200);
    });

    it('spot-check draws, the worklist, coverage and accountability', async () => {
      const made = await conforming('inspector', 'post', '/api/campaigns/{id}/spot-check-draws', { id: campaignId }, 201, { mode: 'percent', value: 50 });
      expect(made.items.length).toBeGreaterThan(0);
      for (const user of ['county', 'leader', 'inspector']) {
        await conforming(user, 'get', '/api/campaigns/{id}/spot-check-draws', { id: campaignId }, 200);
        await conforming(user, 'get', '/api/spot-check-draws/{id}', { id: made.id }, 200);
        await conforming(user, 'get', '/api/campaigns/{id}/spot-check-coverage', { id: campaignId }, 200);
        await conforming(user, 'get', '/api/campaigns/{id}/accountability', { id: campaignId }, 200);
      }
      const worklist = await conforming('inspector', 'get', '/api/spot-checks/worklist', { query: `campaignId=${campaignId}` }, 200);
      expect(worklist.length).toBe(made.items.length);
      await conforming('county', 'get', '/api/campaigns/{id}/series', { id: campaignId, query: 'interval=half_month' }, 200);
    });

    it('org units and users for the admin', async () => {
      await conforming('admin', 'get', '/api/admin/org-units', {}, 200);
      await conforming('admin', 'get', '/api/admin/org-units/{id}/coverage', { id: t.demo.orgUnits.ducha1.id }, 200);
      await conforming('admin', 'get', '/api/admin/users', {}, 200);
      const unit = await conforming('admin', 'post', '/api/admin/org-units', {}, 201, {
        kind: 'village',
        name: '城关镇新村',
        parentId: t.demo.orgUnits.chengguan.id,
      });
      const user = await conforming('admin', 'post', '/api/admin/users', {}, 201, {
        username: 'newcadre',
        displayName: '新排查人',
        orgUnitId: unit.id,
        roles: ['investigator'],
        password: 'Demo@2021x',
      });
      await conforming('admin', 'post', '/api/admin/users/{id}/deactivate', { id: user.id }, 200);
      await conforming('admin', 'post', '/api/admin/users/{id}/reactivate', { id: user.id }, 200);
      await conforming('admin', 'patch', '/api/admin/users/{id}', { id: user.id }, 200, { displayName: '新排查人甲', phone: null });
    });

    it('roles, role grants and the password policy for the security admin', async () => {
      const users = (await conforming('security', 'get', '/api/users', {}, 200)) as Array<{ id: string; username: string }>;
      const cadre3 = users.find((u) => u.username === 'cadre3')!;
      const ok = await conforming('admin', 'post', '/api/role-grants', {}, 201, { userId: t.demo.userIds.dept, role: 'investigator', reason: '兼行业排查' });
      await conforming('admin', 'get', '/api/role-grants', { query: 'status=pending' }, 200);
      await conforming('security', 'post', '/api/role-grants/{id}/approve', { id: ok.id }, 200, {});
      const newcomer = await conforming('admin', 'post', '/api/admin/users', {}, 201, {
        username: 'grantee',
        displayName: '待授权',
        orgUnitId: t.demo.countyId,
        roles: ['county_office'],
        password: 'Demo@2021x',
      });
      const [pending] = (await conforming('security', 'get', '/api/role-grants', { query: `userId=${newcomer.id}` }, 200)) as Array<{ id: string }>;
      await conforming('security', 'post', '/api/role-grants/{id}/reject', { id: pending.id }, 200, { reason: '未见任职文件' });
      await conforming('security', 'put', '/api/users/{id}/roles', { id: cadre3.id }, 200, { roles: ['investigator'] });
      await conforming('security', 'get', '/api/security/password-policy', {}, 200);
      await conforming('security', 'put', '/api/security/password-policy', {}, 200, { minLength: 8, minCharClasses: 3, maxAgeDays: 90, historySize: 5 });
      const error = await t.http
        .post('/api/role-grants')
        .set('authorization', await bearer('admin'))
        .send({ userId: t.demo.userIds.county, role: 'auditor' });
      expect(error.status).toBe(400);
      expect(violations(doc, schemaOf('/api/role-grants', 'post', 'default'), error.body)).toEqual([]);
    });

    it('errors in the documented error shape', async () => {
      const res = await t.http
        .post(`/api/items/${itemIds[0]}/events`)
        .set('authorization', await bearer('auditor'))
        .send({ type: 'ACCEPT' });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(violations(doc, schemaOf('/api/items/{id}/events', 'post', 'default'), res.body)).toEqual([]);
    });
  });
});
