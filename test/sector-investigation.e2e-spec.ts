import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Response } from 'supertest';
import { Client } from 'pg';
import { createTestApp, TestApp } from './app';
import { bearer, chinaDay, createUser } from './factories';

/**
 * 行业排查 and the choice of 整改责任人, through HTTP on real PostgreSQL:
 * a campaign's sector mapping (problem type → county departments), department
 * staff recording for households in any village of the county in their own
 * sector's types only, the county office (not the township leader) reviewing
 * those items, the department seeing what its staff found, and a rectifier
 * named only from the item's township or the department it was escalated to,
 * never the reviewer themself — in the event and in the picker alike.
 */
describe('行业排查 and rectifier choice', () => {
  let t: TestApp;
  let db: Client;
  let campaignId: string;
  let ids: Record<string, string>;
  let units: Record<string, { id: string }>;

  const get = async (u: string, path: string) => t.http.get(path).set('authorization', await bearer(t, u));
  const post = async (u: string, path: string, body: object = {}) =>
    t.http
      .post(path)
      .set('authorization', await bearer(t, u))
      .send(body);
  const put = async (u: string, path: string, body: object = {}) =>
    t.http
      .put(path)
      .set('authorization', await bearer(t, u))
      .send(body);

  function ok(res: Response, status = 200): Response {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  }

  /** Rows that a refused request must leave as they were. */
  const footprint = async () =>
    (
      await db.query(
        `SELECT (SELECT count(*) FROM problem_items)::int AS items, (SELECT count(*) FROM signatures)::int AS signatures,
                (SELECT coalesce(sum(version), 0) FROM problem_items)::int AS versions, (SELECT coalesce(sum(version), 0) FROM campaigns)::int AS campaigns`,
      )
    ).rows[0];

  const record = async (user: string, unit: string, problemTypeCode: string, description = '危房未改造') =>
    post(user, '/api/items', { campaignId, orgUnitId: units[unit].id, problemTypeCode, description });
  const submitted = async (user: string, unit: string, problemTypeCode: string, description?: string): Promise<string> => {
    const id = ok(await record(user, unit, problemTypeCode, description), 201).body.id as string;
    ok(await post(user, `/api/items/${id}/events`, { type: 'SUBMIT' }));
    return id;
  };
  const confirm = (user: string, id: string, rectifier: string) =>
    post(user, `/api/items/${id}/events`, { type: 'CONFIRM', measures: '危房改造', rectifierId: ids[rectifier], deadline: chinaDay(20) });

  beforeAll(async () => {
    t = await createTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    ids = { ...t.demo.userIds };
    units = t.demo.orgUnits;
    // A colleague of `dept` at 住建局, and a staff member of 教育局.
    ids.dept_b = await createUser(t, { username: 'dept_b', displayName: '吴刚（住建局）', orgUnitId: units.zhujian.id, roles: ['department_staff'] });
    ids.edu = await createUser(t, { username: 'edu', displayName: '冯敏（教育局）', orgUnitId: units.jiaoyu.id, roles: ['department_staff'] });
    const created = ok(
      await post('county', '/api/campaigns', {
        preset: 'huoqiu',
        title: '行业排查',
        docNumber: '霍扶组〔2021〕5号',
        // 三保障和饮水安全 is housing's and education's; 资金项目管理 education's only.
        sectors: [
          { problemTypeCode: 'HQ-01', departmentIds: [units.zhujian.id, units.jiaoyu.id] },
          { problemTypeCode: 'HQ-06', departmentIds: [units.jiaoyu.id] },
        ],
      }),
      201,
    ).body;
    campaignId = created.id;
    expect(created.sectors).toEqual([
      { problemTypeCode: 'HQ-01', departmentIds: [units.zhujian.id, units.jiaoyu.id] },
      { problemTypeCode: 'HQ-06', departmentIds: [units.jiaoyu.id] },
    ]);
    for (let i = 0; i < 3; i++) ok(await post('county', `/api/campaigns/${campaignId}/advance`));
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  describe('the sector mapping', () => {
    it.each<[string, object, string]>([
      ['a code outside the taxonomy', { sectors: [{ problemTypeCode: 'GCH-01', departmentIds: [] }] }, 'sectors.0.problemTypeCode'],
      ['a township for a department', { sectors: [{ problemTypeCode: 'HQ-01', departmentIds: ['TOWNSHIP'] }] }, 'sectors.0.departmentIds'],
      ['a department id that is not a uuid', { sectors: [{ problemTypeCode: 'HQ-01', departmentIds: ['zhujian'] }] }, 'sectors.0.departmentIds'],
    ])('PUT sectors with %s: 400 naming the field, nothing changed', async (_name, body, field) => {
      const json = JSON.parse(JSON.stringify(body).replace('TOWNSHIP', units.chengguan.id));
      const before = await footprint();
      const res = await put('county', `/api/campaigns/${campaignId}/sectors`, json);
      expect([res.status, res.body.details?.map((d: { field: string }) => d.field)]).toEqual([400, [field]]);
      expect(await footprint()).toEqual(before);
    });

    it('only the runner of the campaign (here the county office) sets it; the mapping replaces the old one and is read back', async () => {
      const before = await footprint();
      const leader = await put('leader', `/api/campaigns/${campaignId}/sectors`, { sectors: [] });
      expect([leader.status, leader.body.code]).toEqual([403, 'FORBIDDEN']);
      expect((await put('dept', `/api/campaigns/${campaignId}/sectors`, { sectors: [] })).status).toBe(403);
      expect(await footprint()).toEqual(before);

      const mapping = [
        { problemTypeCode: 'HQ-01', departmentIds: [units.zhujian.id, units.jiaoyu.id] },
        { problemTypeCode: 'HQ-06', departmentIds: [units.jiaoyu.id] },
        { problemTypeCode: 'HQ-08', departmentIds: [units.weijian.id] },
      ];
      const res = ok(await put('county', `/api/campaigns/${campaignId}/sectors`, { sectors: mapping })).body;
      expect(res.sectors).toEqual(mapping);
      expect(ok(await get('dept', `/api/campaigns/${campaignId}`)).body.sectors).toEqual(mapping);
      ok(await put('county', `/api/campaigns/${campaignId}/sectors`, { sectors: mapping.slice(0, 2) }));
      expect(ok(await get('county', `/api/campaigns/${campaignId}`)).body.sectors).toEqual(mapping.slice(0, 2));
      // Each change is audited with the mapping before and after.
      const audited = ok(await get('auditor', `/api/audit-events?action=campaign.sectors_changed&subjectId=${campaignId}`)).body as Array<{
        actorId: string;
        details: { before: unknown[]; after: unknown[] };
      }>;
      expect(audited.map((a) => [a.actorId, a.details.before.length, a.details.after.length])).toEqual([
        [ids.county, 3, 2],
        [ids.county, 2, 3],
      ]);
    });
  });

  describe('department staff record in any village, in their sector only', () => {
    it('住建局 records HQ-01 for households in two townships; the county office reviews, the township leader only sees it', async () => {
      const inChengguan = await submitted('dept', 'datong', 'HQ-01', '危房未改造（大同村）');
      const inHekou = await submitted('dept', 'hekou_a', 'HQ-01', '危房未改造（东岗村）');
      for (const id of [inChengguan, inHekou]) {
        const item = ok(await get('county', `/api/items/${id}`)).body;
        expect([item.state, item.reviewLevel, item.sectorDepartment?.id]).toEqual(['pending_review', 'county', units.zhujian.id]);
        expect(item.availableActions).toEqual(expect.arrayContaining(['CONFIRM', 'RETURN', 'DISMISS']));
      }
      // The township sees the household's item in its village, but it is not the township's to review.
      const seenByLeader = ok(await get('leader', `/api/items/${inChengguan}`)).body;
      expect([seenByLeader.township.id, seenByLeader.availableActions]).toEqual([units.chengguan.id, []]);
      const confirmByLeader = await confirm('leader', inChengguan, 'cadre');
      expect([confirmByLeader.status, confirmByLeader.body.reason]).toEqual([409, 'not_permitted']);
      expect((await get('leader', `/api/items/${inHekou}`)).status).toBe(404);
      const countyInbox = ok(await get('county', '/api/inbox')).body.map((i: { id: string }) => i.id);
      expect(countyInbox).toEqual(expect.arrayContaining([inChengguan, inHekou]));
      expect(ok(await get('leader', '/api/inbox')).body.map((i: { id: string }) => i.id)).not.toContain(inChengguan);
    });

    it('a type outside the department sector is refused for a village (400 problemTypeCode) and writes nothing; at the department itself any type goes', async () => {
      const before = await footprint();
      const refused = await record('dept', 'datong', 'HQ-06');
      expect([refused.status, refused.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['problemTypeCode']]);
      expect(refused.body.message).toContain('行业分工');
      expect(await footprint()).toEqual(before);
      // 教育局 owns HQ-06 in this campaign.
      expect((await record('edu', 'zhouji_a', 'HQ-06', '资金拨付滞后')).status).toBe(201);
      // The department's own shortcomings are recorded at the department, of any type.
      const own = ok(await record('dept', 'zhujian', 'HQ-06', '本部门项目资金台账不全'), 201).body;
      expect([own.reviewLevel, own.sectorDepartment.id]).toEqual(['county', units.zhujian.id]);
      // And a department still cannot record at another department.
      expect((await record('dept', 'jiaoyu', 'HQ-01')).status).toBe(400);
    });

    it('GET /api/directory/recording-units offers what the item service accepts: every village and township to a department, its own unit to a cadre', async () => {
      const unitIds = async (user: string, query = '') =>
        (ok(await get(user, `/api/directory/recording-units${query}`)).body as Array<{ id: string }>).map((u) => u.id).sort();
      const places = ['chengguan', 'datong', 'qilimiao', 'hekou', 'hekou_a', 'hekou_b', 'zhouji', 'zhouji_a', 'zhouji_b'].map((k) => units[k].id);
      expect(await unitIds('dept', `?campaignId=${campaignId}`)).toEqual([...places, units.zhujian.id].sort());
      expect(await unitIds('cadre')).toEqual([units.datong.id]);
      expect((await get('leader', '/api/directory/recording-units')).status).toBe(403);
      expect((await get('dept', '/api/directory/recording-units?campaignId=6f1c2a8e-3b1d-4c55-9a7e-2b8f0c1d9e00')).status).toBe(404);
    });

    it('a ledger import by the department (its re-imported export): rows outside its sector are refused row by row, nothing written; its sector imports', async () => {
      ok(await record('cadre', 'datong', 'HQ-02', '产业项目未见效（台账）'), 201);
      /** A 大同村 ledger with one row of `type`, written by openpyxl as a department's own spreadsheet would be. */
      const exported = async (type: string): Promise<Buffer> => {
        const name = { 'HQ-01': '三保障和饮水安全', 'HQ-02': '产业发展' }[type]!;
        const dir = mkdtempSync(join(tmpdir(), 'sector-ledger-'));
        const file = join(dir, 'ledger.xlsx');
        const script = [
          'import sys, openpyxl',
          'wb = openpyxl.Workbook(); ws = wb.active',
          "ws.append(['乡镇', '行政村', '户主姓名', '身份证号码', '问题类型', '具体问题', '整改措施', '整改责任人', '整改时限', '备注'])",
          "ws.append(['城关镇', '大同村', '钱七', None, sys.argv[2], '行业排查发现的问题', None, None, None, None])",
          'wb.save(sys.argv[1])',
        ].join('\n');
        await promisify(execFile)('/usr/bin/python3', ['-c', script, file, name]);
        const data = readFileSync(file);
        rmSync(dir, { recursive: true, force: true });
        return data;
      };
      const importAs = async (user: string, file: Buffer) =>
        t.http
          .post(`/api/campaigns/${campaignId}/ledger`)
          .set('authorization', await bearer(t, user))
          .attach('file', file, '大同村台账.xlsx');
      const before = await footprint();
      const refused = await importAs('dept', await exported('HQ-02'));
      expect([refused.status, refused.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(refused.body.errors.map((e: { column: string }) => e.column)).toEqual(['问题类型']);
      expect(refused.body.errors[0].message).toContain('行业分工');
      expect(await footprint()).toEqual(before);
      const imported = ok(await importAs('dept', await exported('HQ-01'))).body;
      expect(imported.created).toBeGreaterThan(0);
      const item = ok(await get('county', `/api/items/${imported.items[0].id}`)).body;
      expect([item.sectorDepartment.id, item.reviewLevel, item.orgUnit.id]).toEqual([units.zhujian.id, 'county', units.datong.id]);
    });

    it('changing a village item to a type outside the sector is refused (400 problemTypeCode)', async () => {
      const draft = ok(await record('dept', 'qilimiao', 'HQ-01', '草稿'), 201).body;
      const res = await t.http
        .patch(`/api/items/${draft.id}`)
        .set('authorization', await bearer(t, 'dept'))
        .send({ problemTypeCode: 'HQ-06' });
      expect([res.status, res.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['problemTypeCode']]);
      expect(ok(await get('dept', `/api/items/${draft.id}`)).body.problemType.code).toBe('HQ-01');
    });

    it('the department sees what its staff found (a colleague too); another department does not (404)', async () => {
      const id = await submitted('dept', 'zhouji_b', 'HQ-01', '饮水不安全（北岗村）');
      expect(ok(await get('dept_b', `/api/items/${id}`)).body.investigator.id).toBe(ids.dept);
      expect(ok(await get('dept_b', `/api/items?campaignId=${campaignId}&limit=200`)).body.items.map((i: { id: string }) => i.id)).toContain(id);
      expect((await get('edu', `/api/items/${id}`)).status).toBe(404);
      expect(ok(await get('edu', `/api/items?campaignId=${campaignId}&limit=200`)).body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    });
  });

  describe('整改责任人: from the item township, or the department it was escalated to (or found it); never oneself', () => {
    let pending: string;
    beforeAll(async () => {
      pending = await submitted('cadre', 'datong', 'HQ-01', '住房漏雨');
    });

    it.each<[string, string, string]>([
      ['a cadre of another township', 'cadre3', '须是问题所在乡镇'],
      ['a department that was not handed the item', 'dept', '须是问题所在乡镇'],
      ['an inspector', 'inspector', '须是问题所在乡镇'],
      ['the reviewer themself', 'leader', '不能是审核人本人'],
    ])('CONFIRM naming %s: 400 naming rectifierId, nothing written', async (_name, rectifier, message) => {
      const before = await footprint();
      const res = await confirm('leader', pending, rectifier);
      expect([res.status, res.body.code, res.body.details.map((d: { field: string }) => d.field)]).toEqual([400, 'VALIDATION_FAILED', ['rectifierId']]);
      expect(res.body.message).toContain(message);
      expect(await footprint()).toEqual(before);
      expect(ok(await get('leader', `/api/items/${pending}`)).body.state).toBe('pending_review');
    });

    it('a batch CONFIRM refuses the out-of-township rectifier on every item, each with the same 400', async () => {
      const other = await submitted('cadre', 'datong', 'HQ-02', '产业项目未见效');
      const before = await footprint();
      const res = ok(
        await post('leader', '/api/items/batch-events', {
          type: 'CONFIRM',
          itemIds: [pending, other],
          measures: '维修',
          rectifierId: ids.cadre3,
          deadline: chinaDay(20),
        }),
      ).body;
      expect(res.results.map((r: { status: number; error: { details: Array<{ field: string }> } }) => [r.status, r.error.details[0].field])).toEqual([
        [400, 'rectifierId'],
        [400, 'rectifierId'],
      ]);
      expect(await footprint()).toEqual(before);
    });

    it('the picker offers exactly the township (never the caller); for an escalation, only the receiving department', async () => {
      const names = async (user: string, query: string) =>
        (ok(await get(user, `/api/directory/rectifiers?itemId=${pending}${query}`)).body as Array<{ id: string }>).map((u) => u.id);
      const offered = await names('leader', '');
      expect(offered).toEqual(expect.arrayContaining([ids.cadre, ids.cadre2]));
      for (const outsider of [ids.leader, ids.cadre3, ids.dept, ids.inspector, ids.county, ids.leader2]) expect(offered).not.toContain(outsider);
      // The county office picking for the same item sees the township leader (not itself).
      expect(await names('county', '')).toEqual(expect.arrayContaining([ids.leader, ids.cadre]));
      expect(await names('county', '')).not.toContain(ids.county);
      expect((await names('leader', `&toOrgUnitId=${units.zhujian.id}`)).sort()).toEqual([ids.dept, ids.dept_b].sort());
      const bad = await get('leader', `/api/directory/rectifiers?itemId=${pending}&toOrgUnitId=${units.hekou.id}`);
      expect([bad.status, bad.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['toOrgUnitId']]);
    });

    it('naming a cadre of the township is accepted; ESCALATE names only staff of the receiving department', async () => {
      expect(ok(await confirm('leader', pending, 'cadre2')).body.rectifier.id).toBe(ids.cadre2);
      const escalate = (rectifier: string) =>
        post('leader', `/api/items/${pending}/events`, {
          type: 'ESCALATE',
          toOrgUnitId: units.zhujian.id,
          reason: '改造资金镇村无力解决',
          rectifierId: ids[rectifier],
        });
      for (const wrong of ['cadre', 'edu']) {
        const before = await footprint();
        const res = await escalate(wrong);
        expect([wrong, res.status, res.body.details?.map((d: { field: string }) => d.field)]).toEqual([wrong, 400, ['rectifierId']]);
        expect(res.body.message).toContain('所上报单位');
        expect(await footprint()).toEqual(before);
      }
      const done = ok(await escalate('dept_b')).body;
      expect([done.rectifier.id, done.responsibleOrgUnit.id, done.reviewLevel]).toEqual([ids.dept_b, units.zhujian.id, 'county']);
    });

    it('for a 行业排查 item the county office may name the finding department or the household township, not another department', async () => {
      const id = await submitted('dept', 'datong', 'HQ-01', '危房（七户）');
      expect((await confirm('county', id, 'edu')).status).toBe(400);
      expect((await confirm('county', id, 'county')).status).toBe(400);
      expect(ok(await confirm('county', id, 'dept_b')).body.rectifier.id).toBe(ids.dept_b);
      const other = await submitted('dept', 'datong', 'HQ-01', '危房（三户）');
      expect(ok(await confirm('county', other, 'cadre')).body.rectifier.id).toBe(ids.cadre);
    });
  });
});
