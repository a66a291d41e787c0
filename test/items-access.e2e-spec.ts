import { PROBLEM_ITEM_EVENT_TYPES } from '../workflows';
import type { Response } from 'supertest';
import { Clock, DAY_MS } from '../src/common/clock';
import { residentIdCheckChar } from '../src/common/validation/resident-id';
import { createTestApp, TestApp } from './app';

/**
 * Who may do what to which item, through HTTP: refused events write nothing,
 * out-of-scope items do not exist, 身份证号码 masking and its audit trail,
 * list filters and pagination, the inbox, and bad input.
 */

const USERS = ['county', 'leader', 'cadre', 'cadre2', 'leader2', 'cadre3', 'dept', 'inspector', 'admin', 'auditor'] as const;
type Username = (typeof USERS)[number];

/** Every event a client can POST (EDIT is PATCH); new events of the machine are covered automatically. */
const EVENTS = PROBLEM_ITEM_EVENT_TYPES.filter((t) => t !== 'EDIT');

const COUNTY_WIDE: Username[] = ['county', 'admin', 'auditor'];
/** Users whose roles never write to items: every item write route answers them 403 (三权分立). */
const WRITE_REFUSED: readonly Username[] = ['admin', 'auditor'];
const CHENGGUAN: Username[] = [...COUNTY_WIDE, 'leader', 'cadre', 'inspector'];
const HEKOU: Username[] = [...COUNTY_WIDE, 'leader2', 'cadre3'];

/** A valid 18-character 身份证号码 for a 17-digit body. */
const residentId = (body17: string) => body17 + residentIdCheckChar(body17);
const ID_F2 = residentId('34152219800101123');

interface Fixture {
  state: string;
  /** Who can see it; everybody else gets 404. */
  visibleTo: Username[];
  /** What each user may send now (GET availableActions); everybody else: nothing. */
  allowed: Partial<Record<Username, string[]>>;
}

/** Items of campaign A, all in 城关镇/大同村 unless noted; built in beforeAll. */
const FIXTURES: Record<string, Fixture> = {
  draft: { state: 'draft', visibleTo: CHENGGUAN, allowed: { cadre: ['EDIT', 'SUBMIT', 'DISCARD'] } },
  pending_review: { state: 'pending_review', visibleTo: CHENGGUAN, allowed: { leader: ['CONFIRM', 'RETURN', 'DISMISS'], cadre: ['WITHDRAW'] } },
  'rectifying (cadre2 named)': {
    state: 'rectifying',
    visibleTo: [...CHENGGUAN, 'cadre2'],
    allowed: { cadre2: ['REPORT_PROGRESS', 'SUBMIT_RECTIFICATION', 'REQUEST_EXTENSION'], leader: ['ESCALATE', 'MARK_LONG_TERM'] },
  },
  // A township cannot name department staff directly (only its own people, or those of the department it escalates to).
  'rectifying (住建局 staff named)': {
    state: 'rectifying',
    visibleTo: [...CHENGGUAN, 'dept'],
    allowed: { dept: ['REPORT_PROGRESS', 'SUBMIT_RECTIFICATION', 'REQUEST_EXTENSION'], county: ['MARK_LONG_TERM'] },
  },
  'rectifying (escalated to 住建局)': {
    state: 'rectifying',
    visibleTo: [...CHENGGUAN, 'dept'],
    allowed: { dept: ['REPORT_PROGRESS', 'SUBMIT_RECTIFICATION', 'REQUEST_EXTENSION'], county: ['MARK_LONG_TERM'] },
  },
  'rectifying (extension requested)': {
    state: 'rectifying',
    visibleTo: CHENGGUAN,
    allowed: { cadre: ['REPORT_PROGRESS', 'SUBMIT_RECTIFICATION'], leader: ['APPROVE_EXTENSION', 'DENY_EXTENSION', 'ESCALATE', 'MARK_LONG_TERM'] },
  },
  pending_acceptance: { state: 'pending_acceptance', visibleTo: [...CHENGGUAN, 'cadre2'], allowed: { leader: ['ACCEPT', 'REJECT_RECTIFICATION'] } },
  closed: { state: 'closed', visibleTo: [...CHENGGUAN, 'cadre2'], allowed: { inspector: ['SPOT_CHECK_PASS', 'REOPEN'] } },
  dismissed: { state: 'dismissed', visibleTo: CHENGGUAN, allowed: { inspector: ['SPOT_CHECK_PASS', 'REOPEN'] } },
  returned: { state: 'returned', visibleTo: CHENGGUAN, allowed: { cadre: ['EDIT', 'SUBMIT'] } },
  'pending_review (河口镇)': { state: 'pending_review', visibleTo: HEKOU, allowed: { leader2: ['CONFIRM', 'RETURN', 'DISMISS'], cadre3: ['WITHDRAW'] } },
  'closed (河口镇, no inspector covers it)': { state: 'closed', visibleTo: HEKOU, allowed: {} },
};
const FIXTURE_KEYS = Object.keys(FIXTURES);

const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const sorted = (xs: readonly string[]) => [...xs].sort();

describe('items: access, scope, masking, filters, inbox, bad input', () => {
  let t: TestApp;
  let clock: Clock;
  let today: string;
  let campaignA: string;
  let evidenceId: string;
  const ids: Record<string, string> = {};

  const auth = async (u: string) => ({ authorization: `Bearer ${await t.token(u)}` });
  const get = async (u: string, path: string) => t.http.get(path).set(await auth(u));
  const post = async (u: string, path: string, body: object = {}) =>
    t.http
      .post(path)
      .set(await auth(u))
      .send(body);
  const patch = async (u: string, path: string, body: object = {}) =>
    t.http
      .patch(path)
      .set(await auth(u))
      .send(body);

  function ok(res: Response, status = 200): Response {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  }

  async function createCampaign(advances: number): Promise<string> {
    const c = ok(await post('county', '/api/campaigns', { preset: 'huoqiu', title: '集中排查', docNumber: '霍扶组〔2021〕5号' }), 201);
    for (let i = 0; i < advances; i++) ok(await post('county', `/api/campaigns/${c.body.id}/advance`));
    return c.body.id as string;
  }

  async function createItem(user: Username, campaignId: string, unit: string, extra: object = {}): Promise<string> {
    const res = await post(user, '/api/items', {
      campaignId,
      orgUnitId: t.demo.orgUnits[unit].id,
      problemTypeCode: 'HQ-01',
      description: '住房安全无保障',
      ...extra,
    });
    return ok(res, 201).body.id as string;
  }

  const event = async (user: Username, id: string, body: object) => ok(await post(user, `/api/items/${id}/events`, body)).body;
  const confirm = (user: Username, id: string, rectifier: Username, days: number) =>
    event(user, id, { type: 'CONFIRM', measures: '维修加固', rectifierId: t.demo.userIds[rectifier], deadline: addDays(today, days) });
  /** A rectifier cites their own upload (cadre2's is `evidenceId`). */
  const ownEvidence = new Map<Username, string>();
  const evidenceOf = async (user: Username) => {
    if (user === 'cadre2') return evidenceId;
    if (!ownEvidence.has(user)) {
      ownEvidence.set(
        user,
        ok(
          await t.http
            .post('/api/attachments')
            .set(await auth(user))
            .attach('file', Buffer.from(`%PDF-1.4 ${user}`), 'proof.pdf'),
          201,
        ).body.id,
      );
    }
    return ownEvidence.get(user)!;
  };
  const rectify = async (user: Username, id: string) =>
    event(user, id, { type: 'SUBMIT_RECTIFICATION', comment: '已整改', evidence: [await evidenceOf(user)] });

  /** What a refused request must leave untouched, read by the county office (sees everything). */
  async function footprint(id: string) {
    const item = ok(await get('county', `/api/items/${id}`)).body;
    const chain = ok(await get('county', `/api/items/${id}/signatures`)).body as Array<{ hash: string }>;
    return { state: item.state, version: item.version, updatedAt: item.updatedAt, signatures: chain.length, lastHash: chain.at(-1)?.hash ?? null };
  }

  /** A syntactically valid body for each event, so refusals come from the rules, not from validation. */
  function validBody(type: (typeof EVENTS)[number]): Record<string, unknown> {
    switch (type) {
      case 'CONFIRM':
        return { type, measures: '维修', rectifierId: t.demo.userIds.cadre, deadline: addDays(today, 20) };
      case 'RETURN':
      case 'DISMISS':
      case 'DENY_EXTENSION':
      case 'REJECT_RECTIFICATION':
        return { type, reason: '理由' };
      case 'REOPEN':
        return { type, reason: '未整改到位', deadline: addDays(today, 20) };
      case 'REPORT_PROGRESS':
        return { type, comment: '进展' };
      case 'SUBMIT_RECTIFICATION':
        return { type, comment: '已整改', evidence: [evidenceId] };
      case 'REQUEST_EXTENSION':
        return { type, reason: '材料未到', newDeadline: addDays(today, 60) };
      case 'ESCALATE':
        return { type, toOrgUnitId: t.demo.orgUnits.zhujian.id, reason: '镇村无力解决' };
      case 'MARK_LONG_TERM':
        return { type, plan: '分年度实施' };
      default:
        return { type };
    }
  }

  beforeAll(async () => {
    // The overdue test moves the clock by days; the tokens cached for the whole file must outlive that.
    t = await createTestApp({ SESSION_IDLE_MINUTES: String(7 * 24 * 60), SESSION_MAX_HOURS: String(10 * 24) });
    clock = t.app.get(Clock);
    today = clock.today();
    campaignA = await createCampaign(3); // 动员培训 → 实地排查 → 问题整改及动态管理
    evidenceId = ok(
      await t.http
        .post('/api/attachments')
        .set(await auth('cadre2'))
        .attach('file', Buffer.from('%PDF-1.4 proof'), 'proof.pdf'),
      201,
    ).body.id;

    ids.draft = await createItem('cadre', campaignA, 'datong', { description: '草稿问题' });

    ids.pending_review = await createItem('cadre', campaignA, 'datong', { householdName: '张三', householdIdNumber: ID_F2 });
    await event('cadre', ids.pending_review, { type: 'SUBMIT' });

    ids['rectifying (cadre2 named)'] = await createItem('cadre', campaignA, 'datong');
    await event('cadre', ids['rectifying (cadre2 named)'], { type: 'SUBMIT' });
    await confirm('leader', ids['rectifying (cadre2 named)'], 'cadre2', 10);

    ids['rectifying (住建局 staff named)'] = await createItem('cadre', campaignA, 'datong');
    await event('cadre', ids['rectifying (住建局 staff named)'], { type: 'SUBMIT' });
    await confirm('leader', ids['rectifying (住建局 staff named)'], 'cadre', 11);
    await event('leader', ids['rectifying (住建局 staff named)'], {
      type: 'ESCALATE',
      toOrgUnitId: t.demo.orgUnits.zhujian.id,
      reason: '危房鉴定需住建局',
      rectifierId: t.demo.userIds.dept,
    });

    ids['rectifying (escalated to 住建局)'] = await createItem('cadre', campaignA, 'datong');
    await event('cadre', ids['rectifying (escalated to 住建局)'], { type: 'SUBMIT' });
    await confirm('leader', ids['rectifying (escalated to 住建局)'], 'cadre', 15);
    await event('leader', ids['rectifying (escalated to 住建局)'], { type: 'ESCALATE', toOrgUnitId: t.demo.orgUnits.zhujian.id, reason: '危房改造需住建局' });

    ids['rectifying (extension requested)'] = await createItem('cadre', campaignA, 'datong');
    await event('cadre', ids['rectifying (extension requested)'], { type: 'SUBMIT' });
    await confirm('leader', ids['rectifying (extension requested)'], 'cadre', 12);
    await event('cadre', ids['rectifying (extension requested)'], { type: 'REQUEST_EXTENSION', reason: '雨季', newDeadline: addDays(today, 30) });

    ids.pending_acceptance = await createItem('cadre', campaignA, 'datong');
    await event('cadre', ids.pending_acceptance, { type: 'SUBMIT' });
    await confirm('leader', ids.pending_acceptance, 'cadre2', 8);
    await rectify('cadre2', ids.pending_acceptance);

    ids.closed = await createItem('cadre', campaignA, 'datong');
    await event('cadre', ids.closed, { type: 'SUBMIT' });
    await confirm('leader', ids.closed, 'cadre2', 9);
    await rectify('cadre2', ids.closed);
    await event('leader', ids.closed, { type: 'ACCEPT' });

    ids.dismissed = await createItem('cadre', campaignA, 'datong');
    await event('cadre', ids.dismissed, { type: 'SUBMIT' });
    await event('leader', ids.dismissed, { type: 'DISMISS', reason: '已享受政策' });

    ids.returned = await createItem('cadre', campaignA, 'datong');
    await event('cadre', ids.returned, { type: 'SUBMIT' });
    await event('leader', ids.returned, { type: 'RETURN', reason: '请补充户主信息' });

    ids['pending_review (河口镇)'] = await createItem('cadre3', campaignA, 'hekou_a');
    await event('cadre3', ids['pending_review (河口镇)'], { type: 'SUBMIT' });

    const hk = (ids['closed (河口镇, no inspector covers it)'] = await createItem('cadre3', campaignA, 'hekou_a'));
    await event('cadre3', hk, { type: 'SUBMIT' });
    await confirm('leader2', hk, 'cadre3', 7);
    await rectify('cadre3', hk);
    await event('leader2', hk, { type: 'ACCEPT' });
  });

  afterAll(async () => {
    clock?.reset();
    await t?.close();
  });

  it('builds every fixture in the state it stands for', async () => {
    for (const key of FIXTURE_KEYS) expect([key, (await footprint(ids[key])).state]).toEqual([key, FIXTURES[key].state]);
  });

  // ------------------------------------------------------------ 1. refused events

  describe('every user, every event they must not send, in every state', () => {
    const cases = FIXTURE_KEYS.flatMap((key) => USERS.map((user) => [key, user] as const));

    it.each(cases)('%s item, %s: refused with 403/404/409 and nothing written', async (key, user) => {
      const fixture = FIXTURES[key];
      const id = ids[key];
      const visible = fixture.visibleTo.includes(user);
      const allowed = fixture.allowed[user] ?? [];
      const before = await footprint(id);

      if (visible) {
        const got = ok(await get(user, `/api/items/${id}`)).body;
        expect(sorted(got.availableActions)).toEqual(sorted(allowed));
      }
      const forbidden = EVENTS.filter((e) => !allowed.includes(e));
      // Sent together: each is refused on its own, and the footprint below shows none wrote anything.
      const answers = await Promise.all(forbidden.map(async (type) => [type, await post(user, `/api/items/${id}/events`, validBody(type))] as const));
      for (const [type, res] of answers) {
        const summary = { type, status: res.status, code: res.body.code };
        if (WRITE_REFUSED.includes(user)) {
          // 三权分立: the admin and the auditor write nothing to items, turned away at the route.
          expect(summary).toEqual({ type, status: 403, code: 'FORBIDDEN' });
        } else if (!visible) {
          expect(summary).toEqual({ type, status: 404, code: 'NOT_FOUND' });
        } else {
          expect([403, 409]).toContain(res.status);
          if (res.status === 409) {
            expect(summary).toEqual({ type, status: 409, code: 'TRANSITION_REFUSED' });
            expect(res.body.state).toBe(fixture.state);
            expect(sorted(res.body.availableActions)).toEqual(sorted(allowed));
          }
        }
      }
      // EDIT (PATCH) is the investigator's, and only while draft or returned.
      if (!allowed.includes('EDIT')) {
        const res = await patch(user, `/api/items/${id}`, { description: '篡改' });
        expect([res.status, res.body.code]).toEqual(
          WRITE_REFUSED.includes(user) ? [403, 'FORBIDDEN'] : visible ? [409, 'TRANSITION_REFUSED'] : [404, 'NOT_FOUND'],
        );
      }
      expect(await footprint(id)).toEqual(before);
    });
  });

  // ------------------------------------------------------------ 2. scope

  describe('scope: out-of-scope items do not exist', () => {
    const invisible = FIXTURE_KEYS.flatMap((key) => USERS.filter((u) => !FIXTURES[key].visibleTo.includes(u)).map((u) => [key, u] as const));
    const visible = FIXTURE_KEYS.flatMap((key) => FIXTURES[key].visibleTo.map((u) => [key, u] as const));

    it.each(invisible)('%s item: every item route answers 404 to %s', async (key, user) => {
      const id = ids[key];
      const before = await footprint(id);
      const answers = [
        await get(user, `/api/items/${id}`),
        await patch(user, `/api/items/${id}`, { description: '越权修改' }),
        await post(user, `/api/items/${id}/events`, { type: 'SUBMIT' }),
        await get(user, `/api/items/${id}/signatures`),
        await get(user, `/api/items/${id}/signatures/verify`),
      ];
      expect(answers.map((r) => [r.status, r.body.code])).toEqual(Array(5).fill([404, 'NOT_FOUND']));
      // Nothing about the item leaks into the 404 body.
      for (const r of answers) expect(JSON.stringify(r.body)).not.toContain(id);
      expect(await footprint(id)).toEqual(before);
    });

    it.each(visible)('%s item: %s can read it, its signatures and their verification', async (key, user) => {
      const id = ids[key];
      expect(ok(await get(user, `/api/items/${id}`)).body.id).toBe(id);
      const chain = ok(await get(user, `/api/items/${id}/signatures`)).body;
      const verify = ok(await get(user, `/api/items/${id}/signatures/verify`)).body;
      expect(verify).toEqual({ valid: true, length: chain.length, firstBroken: null });
    });

    it.each(USERS)('GET /api/items and GET /api/inbox for %s hold exactly / only the items in scope', async (user) => {
      const expected = FIXTURE_KEYS.filter((k) => FIXTURES[k].visibleTo.includes(user)).map((k) => ids[k]);
      const list = ok(await get(user, `/api/items?campaignId=${campaignA}&limit=200`)).body;
      expect(sorted(list.items.map((i: { id: string }) => i.id))).toEqual(sorted(expected));
      const inbox = ok(await get(user, '/api/inbox')).body as Array<{ id: string }>;
      for (const entry of inbox) expect(expected).toContain(entry.id);
    });

    it('a village item is invisible to the neighbouring village of the same township', async () => {
      const id = await createItem('cadre2', campaignA, 'qilimiao', { description: '七里庙村问题' });
      await event('cadre2', id, { type: 'SUBMIT' });
      const answers = [
        await get('cadre', `/api/items/${id}`),
        await patch('cadre', `/api/items/${id}`, { description: 'x' }),
        await post('cadre', `/api/items/${id}/events`, { type: 'WITHDRAW' }),
        await get('cadre', `/api/items/${id}/signatures`),
        await get('cadre', `/api/items/${id}/signatures/verify`),
      ];
      expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
      expect((await get('cadre', `/api/items?campaignId=${campaignA}&limit=200`)).body.items.map((i: { id: string }) => i.id)).not.toContain(id);
      expect((await get('leader', `/api/items/${id}`)).body.availableActions).toEqual(['CONFIRM', 'RETURN', 'DISMISS']);
      expect((await get('inspector', `/api/items/${id}`)).status).toBe(200);
      expect((await get('leader2', `/api/items/${id}`)).status).toBe(404);
    });

    it('a department item is seen by the county and the department, not by townships or villages', async () => {
      const id = await createItem('dept', campaignA, 'zhujian', { problemTypeCode: 'HQ-06', description: '行业排查：危房改造资金未拨付' });
      await event('dept', id, { type: 'SUBMIT' });
      for (const user of ['county', 'admin', 'auditor', 'dept'] as const) expect([user, (await get(user, `/api/items/${id}`)).status]).toEqual([user, 200]);
      for (const user of ['leader', 'cadre', 'cadre2', 'leader2', 'cadre3'] as const) {
        expect([user, (await get(user, `/api/items/${id}`)).status]).toEqual([user, 404]);
        const list = ok(await get(user, `/api/items?campaignId=${campaignA}&limit=200`)).body;
        expect(list.items.map((i: { id: string }) => i.id)).not.toContain(id);
      }
      // Reviewed at county level: the county office confirms it, not a township leader.
      expect((await get('county', `/api/items/${id}`)).body.availableActions).toEqual(['CONFIRM', 'RETURN', 'DISMISS']);
      const discard = await createItem('dept', campaignA, 'zhujian', { problemTypeCode: 'HQ-06', description: '待删除' });
      expect((await event('dept', discard, { type: 'DISCARD' })).deleted).toBe(true);
      expect((await get('dept', `/api/items/${discard}`)).status).toBe(404);
    });

    it.each([['not-a-uuid'], ['12345'], ['00000000-0000-0000-0000-000000000000'], ['6f1c2a8e-3b1d-4c55-9a7e-2b8f0c1d9e00'], ["' OR 1=1 --"]])(
      'malformed or unknown id %p answers 404 on every item route',
      async (raw) => {
        const id = encodeURIComponent(raw);
        const answers = [
          await get('county', `/api/items/${id}`),
          await patch('cadre', `/api/items/${id}`, { description: 'x' }),
          await post('cadre', `/api/items/${id}/events`, { type: 'SUBMIT' }),
          await get('county', `/api/items/${id}/signatures`),
          await get('county', `/api/items/${id}/signatures/verify`),
        ];
        expect(answers.map((r) => [r.status, r.body.code])).toEqual(Array(5).fill([404, 'NOT_FOUND']));
      },
    );
  });

  // ------------------------------------------------------------ 3. 身份证号码

  describe('身份证号码: full for the county office (audited), masked for everyone else', () => {
    const masked = `${ID_F2.slice(0, 6)}********${ID_F2.slice(14)}`;

    async function fullIdViews(): Promise<Array<{ actorId: string; subjectId: string | null; details: { itemIds?: string[] } }>> {
      const res = ok(await get('auditor', '/api/audit-events?limit=500')).body as Array<{
        action: string;
        actorId: string;
        subjectId: string | null;
        details: { itemIds?: string[] };
      }>;
      return res.filter((e) => e.action === 'item.view_full_id');
    }

    it.each(CHENGGUAN.filter((u) => u !== 'county'))('%s sees it masked (6 + 8* + 4) in the item and the list, and no full view is audited', async (user) => {
      const before = (await fullIdViews()).length;
      const one = ok(await get(user, `/api/items/${ids.pending_review}`)).body;
      expect(masked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
      expect(one.household).toEqual({ name: '张三', idNumber: masked, idNumberMasked: true });
      const list = ok(await get(user, `/api/items?campaignId=${campaignA}&limit=200`)).body.items as Array<{
        id: string;
        household: { idNumber: string } | null;
      }>;
      expect(list.find((i) => i.id === ids.pending_review)?.household?.idNumber).toBe(masked);
      expect(JSON.stringify(list)).not.toContain(ID_F2);
      expect(JSON.stringify(ok(await get(user, '/api/inbox')).body)).not.toContain(ID_F2);
      expect((await fullIdViews()).length).toBe(before);
    });

    it('the county office sees it in full, and every full view is an audit event', async () => {
      const before = await fullIdViews();
      const one = ok(await get('county', `/api/items/${ids.pending_review}`)).body;
      expect(one.household).toEqual({ name: '张三', idNumber: ID_F2, idNumberMasked: false });
      let after = await fullIdViews();
      expect(after.length).toBe(before.length + 1);
      expect(after[0]).toMatchObject({ actorId: t.demo.userIds.county, subjectId: ids.pending_review });

      const list = ok(await get('county', `/api/items?campaignId=${campaignA}&limit=200`)).body.items as Array<{
        id: string;
        household: { idNumber: string } | null;
      }>;
      expect(list.find((i) => i.id === ids.pending_review)?.household?.idNumber).toBe(ID_F2);
      after = await fullIdViews();
      expect(after.length).toBe(before.length + 2);
      expect(after[0].actorId).toBe(t.demo.userIds.county);
      expect(after[0].details.itemIds).toContain(ids.pending_review);

      // A second look is a second audited view.
      ok(await get('county', `/api/items/${ids.pending_review}`));
      expect((await fullIdViews()).length).toBe(before.length + 3);
    });

    it('a bad check digit on create is a 400 naming householdIdNumber, and nothing is written', async () => {
      const bad = ID_F2.slice(0, 17) + (ID_F2[17] === '0' ? '1' : '0');
      const count = async () => ok(await get('cadre', `/api/items?campaignId=${campaignA}&limit=200`)).body.items.length;
      const before = await count();
      const res = await post('cadre', '/api/items', {
        campaignId: campaignA,
        orgUnitId: t.demo.orgUnits.datong.id,
        problemTypeCode: 'HQ-01',
        description: '校验位错误',
        householdName: '李四',
        householdIdNumber: bad,
      });
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['householdIdNumber']);
      expect(await count()).toBe(before);
      // PATCH checks it too.
      const p = await patch('cadre', `/api/items/${ids.draft}`, { householdIdNumber: bad });
      expect([p.status, p.body.details?.[0]?.field]).toEqual([400, 'householdIdNumber']);
    });

    it('a lowercase x check character is accepted and stored upper-case', async () => {
      const withX = ['11010519491231002', '11010119800101001', '34152219900101002', '34152219750505003'].map(residentId).find((n) => n.endsWith('X'));
      expect(withX).toBeDefined();
      const id = await createItem('cadre', campaignA, 'datong', { householdName: '王五', householdIdNumber: withX!.toLowerCase() });
      expect(ok(await get('county', `/api/items/${id}`)).body.household.idNumber).toBe(withX);
      await event('cadre', id, { type: 'DISCARD' });
    });
  });
  // ------------------------------------------------------------ 4. filters and pagination

  describe('list filters and cursor pagination', () => {
    let campaignB: string;
    const b: Record<string, string> = {};
    const listIds = async (user: Username, query: string) =>
      sorted(ok(await get(user, `/api/items?${query}&limit=200`)).body.items.map((i: { id: string }) => i.id));
    const idsOf = (...keys: string[]) => sorted(keys.map((k) => b[k]));

    beforeAll(async () => {
      campaignB = await createCampaign(3);
      // a: 大同村, rectifying by cadre2, deadline in 3 days
      b.a = await createItem('cadre', campaignB, 'datong', { description: '屋顶漏雨 100%', householdName: '赵六' });
      await event('cadre', b.a, { type: 'SUBMIT' });
      await confirm('leader', b.a, 'cadre2', 3);
      // b: 七里庙村, pending_review, 产业发展
      b.b = await createItem('cadre2', campaignB, 'qilimiao', { problemTypeCode: 'HQ-02', description: '产业项目未落实', remark: '光伏电站' });
      await event('cadre2', b.b, { type: 'SUBMIT' });
      // c: 河口镇东岗村, draft
      b.c = await createItem('cadre3', campaignB, 'hekou_a', { description: '饮水不安全' });
      // d: 大同村, closed then reopened by the inspector: rectifying again, reopened once, rectifier cadre
      b.d = await createItem('cadre', campaignB, 'datong', { problemTypeCode: 'HQ-03', description: '公益岗位工资未发' });
      await event('cadre', b.d, { type: 'SUBMIT' });
      await confirm('leader', b.d, 'cadre', 5);
      await rectify('cadre', b.d);
      await event('leader', b.d, { type: 'ACCEPT' });
      await event('inspector', b.d, { type: 'REOPEN', reason: '工资仍未到账', deadline: addDays(today, 20) });
      // e: 住建局 item, pending_review at county level
      b.e = await createItem('dept', campaignB, 'zhujian', { problemTypeCode: 'HQ-06', description: '危改资金拨付滞后' });
      await event('dept', b.e, { type: 'SUBMIT' });
      // f: 河口镇东岗村, dismissed
      b.f = await createItem('cadre3', campaignB, 'hekou_a', { description: '已纳入监测' });
      await event('cadre3', b.f, { type: 'SUBMIT' });
      await event('leader2', b.f, { type: 'DISMISS', reason: '不属实' });
    });

    afterEach(() => clock.reset());

    it('campaignId: only that campaign', async () => {
      expect(await listIds('county', `campaignId=${campaignB}`)).toEqual(idsOf('a', 'b', 'c', 'd', 'e', 'f'));
      const all = await listIds('county', 'campaignId=' + campaignA);
      for (const id of Object.values(b)) expect(all).not.toContain(id);
    });

    it('orgUnitId: the unit and its subtree (a township includes its villages)', async () => {
      const q = (unit: string) => `campaignId=${campaignB}&orgUnitId=${t.demo.orgUnits[unit].id}`;
      expect(await listIds('county', q('chengguan'))).toEqual(idsOf('a', 'b', 'd'));
      expect(await listIds('county', q('datong'))).toEqual(idsOf('a', 'd'));
      expect(await listIds('county', q('qilimiao'))).toEqual(idsOf('b'));
      expect(await listIds('county', q('hekou'))).toEqual(idsOf('c', 'f'));
      expect(await listIds('county', q('zhouji'))).toEqual([]);
      expect(await listIds('county', q('zhujian'))).toEqual(idsOf('e'));
      expect(await listIds('county', q('county'))).toEqual(idsOf('a', 'b', 'c', 'd', 'e', 'f'));
      // The filter narrows the caller's scope, it never widens it.
      expect(await listIds('leader', q('hekou'))).toEqual([]);
      expect(await listIds('cadre', q('chengguan'))).toEqual(idsOf('a', 'd'));
    });

    it('state: one or a comma list', async () => {
      expect(await listIds('county', `campaignId=${campaignB}&state=rectifying`)).toEqual(idsOf('a', 'd'));
      expect(await listIds('county', `campaignId=${campaignB}&state=rectifying,pending_review`)).toEqual(idsOf('a', 'b', 'd', 'e'));
      expect(await listIds('county', `campaignId=${campaignB}&state=draft,dismissed,closed`)).toEqual(idsOf('c', 'f'));
      expect(await listIds('leader', `campaignId=${campaignB}&state=rectifying,pending_review`)).toEqual(idsOf('a', 'b', 'd'));
    });

    it('problemType, rectifierId, reopened and combinations', async () => {
      expect(await listIds('county', `campaignId=${campaignB}&problemType=HQ-01`)).toEqual(idsOf('a', 'c', 'f'));
      expect(await listIds('county', `campaignId=${campaignB}&problemType=HQ-06`)).toEqual(idsOf('e'));
      expect(await listIds('county', `campaignId=${campaignB}&problemType=HQ-09`)).toEqual([]);
      expect(await listIds('county', `campaignId=${campaignB}&rectifierId=${t.demo.userIds.cadre2}`)).toEqual(idsOf('a'));
      expect(await listIds('county', `campaignId=${campaignB}&rectifierId=${t.demo.userIds.cadre}`)).toEqual(idsOf('d'));
      expect(await listIds('county', `campaignId=${campaignB}&reopened=true`)).toEqual(idsOf('d'));
      expect(await listIds('county', `campaignId=${campaignB}&reopened=false`)).toEqual(idsOf('a', 'b', 'c', 'e', 'f'));
      expect(ok(await get('county', `/api/items/${b.d}`)).body.reopenCount).toBe(1);
      expect(await listIds('county', `campaignId=${campaignB}&problemType=HQ-01&state=rectifying&orgUnitId=${t.demo.orgUnits.chengguan.id}`)).toEqual(
        idsOf('a'),
      );
    });

    it('q: text search in description, measures, household name and remark, with LIKE wildcards taken literally', async () => {
      expect(await listIds('county', `campaignId=${campaignB}&q=${encodeURIComponent('漏雨')}`)).toEqual(idsOf('a'));
      expect(await listIds('county', `campaignId=${campaignB}&q=${encodeURIComponent('赵六')}`)).toEqual(idsOf('a'));
      expect(await listIds('county', `campaignId=${campaignB}&q=${encodeURIComponent('光伏')}`)).toEqual(idsOf('b'));
      expect(await listIds('county', `campaignId=${campaignB}&q=${encodeURIComponent('维修加固')}`)).toEqual(idsOf('a', 'd'));
      expect(await listIds('county', `campaignId=${campaignB}&q=${encodeURIComponent('100%')}`)).toEqual(idsOf('a'));
      expect(await listIds('county', `campaignId=${campaignB}&q=${encodeURIComponent('%')}`)).toEqual(idsOf('a'));
      expect(await listIds('county', `campaignId=${campaignB}&q=_`)).toEqual([]);
      expect(await listIds('county', `campaignId=${campaignB}&q=${encodeURIComponent('不存在的关键词')}`)).toEqual([]);
      // Search stays inside scope.
      expect(await listIds('cadre3', `campaignId=${campaignB}&q=${encodeURIComponent('漏雨')}`)).toEqual([]);
    });

    it('overdue: computed from the deadline, shown on the item, gone once accepted', async () => {
      const overdue = () => listIds('county', `campaignId=${campaignB}&overdue=true`);
      expect(await overdue()).toEqual([]);
      // On the deadline day the item is not yet overdue.
      clock.travel(3 * DAY_MS);
      expect(await overdue()).toEqual([]);
      expect(ok(await get('county', `/api/items/${b.a}`)).body.overdue).toBe(false);
      clock.travel(2 * DAY_MS);
      expect(await overdue()).toEqual(idsOf('a'));
      expect(await listIds('county', `campaignId=${campaignB}&overdue=false`)).toEqual(idsOf('b', 'c', 'd', 'e', 'f'));
      expect(ok(await get('leader', `/api/items/${b.a}`)).body.overdue).toBe(true);
      const listed = ok(await get('county', `/api/items?campaignId=${campaignB}`)).body.items as Array<{ id: string; overdue: boolean }>;
      expect(listed.filter((i) => i.overdue).map((i) => i.id)).toEqual([b.a]);
      const inbox = ok(await get('cadre2', '/api/inbox')).body as Array<{ id: string; overdue: boolean }>;
      expect(inbox.find((i) => i.id === b.a)?.overdue).toBe(true);

      await rectify('cadre2', b.a);
      const accepted = await event('leader', b.a, { type: 'ACCEPT' });
      expect([accepted.state, accepted.overdue]).toEqual(['closed', false]);
      expect(ok(await get('county', `/api/items/${b.a}`)).body.overdue).toBe(false);
      expect(await overdue()).toEqual([]);
      clock.reset();
    });

    it('limit + nextCursor walk every item exactly once, newest first', async () => {
      async function walk(user: Username, query: string, limit: number): Promise<string[]> {
        const seen: string[] = [];
        let cursor: string | null = null;
        for (let page = 0; page < 100; page++) {
          const res: { items: Array<{ id: string }>; nextCursor: string | null } = ok(
            await get(user, `/api/items?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`),
          ).body;
          expect(res.items.length).toBeLessThanOrEqual(limit);
          seen.push(...res.items.map((i: { id: string }) => i.id));
          cursor = res.nextCursor;
          if (!cursor) return seen;
          expect(res.items.length).toBe(limit);
        }
        throw new Error('pagination does not end');
      }
      for (const [user, query, limit] of [
        ['county', `campaignId=${campaignB}`, 2],
        ['county', `campaignId=${campaignB}`, 6],
        ['county', 'state=rectifying,pending_review,closed,dismissed,draft,pending_acceptance', 3],
        ['leader', '', 4],
        ['cadre', `campaignId=${campaignB}`, 1],
      ] as const) {
        const walked = await walk(user, query, limit);
        const whole = ok(await get(user, `/api/items?${query}&limit=200`)).body;
        expect(whole.nextCursor).toBeNull();
        expect(new Set(walked).size).toBe(walked.length);
        expect(walked).toEqual(whole.items.map((i: { id: string }) => i.id));
        const created = whole.items.map((i: { createdAt: string }) => i.createdAt);
        expect([...created].sort().reverse()).toEqual(created);
      }
      expect(await walk('county', `campaignId=${campaignB}`, 6)).toHaveLength(6);
    });

    it('a bad cursor or filter is a 400 naming it', async () => {
      for (const [query, field] of [
        ['cursor=garbage', 'cursor'],
        [`cursor=${Buffer.from('2021-01-01T00:00:00.000Z|nope').toString('base64url')}`, 'cursor'],
        ['state=open', 'state'],
        ['state=rectifying,nope', 'state'],
        ['limit=0', 'limit'],
        ['limit=201', 'limit'],
        ['overdue=maybe', 'overdue'],
        ['reopened=1x', 'reopened'],
        ['campaignId=abc', 'campaignId'],
        ['rectifierId=abc', 'rectifierId'],
        [`orgUnitId=${'6f1c2a8e-3b1d-4c55-9a7e-2b8f0c1d9e00'}`, 'orgUnitId'],
        ['foo=bar', 'foo'],
      ]) {
        const res = await get('county', `/api/items?${query}`);
        expect([query, res.status, res.body.details?.map((d: { field: string }) => d.field)]).toEqual([query, 400, [field]]);
      }
    });
  });

  // ------------------------------------------------------------ 5. inbox

  describe('inbox: exactly what the user can act on now, earliest deadline first', () => {
    async function visibleIds(user: Username): Promise<string[]> {
      const out: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { items: Array<{ id: string }>; nextCursor: string | null } = ok(
          await get(user, `/api/items?limit=200${cursor ? `&cursor=${cursor}` : ''}`),
        ).body;
        out.push(...res.items.map((i: { id: string }) => i.id));
        cursor = res.nextCursor;
      } while (cursor);
      return out;
    }

    it.each(USERS)('%s', async (user) => {
      const inbox = ok(await get(user, '/api/inbox')).body as Array<{ id: string; deadline: string | null; availableActions: string[] }>;
      // Cross-check against the machine: every visible item whose GET offers the user a step of the
      // workflow, not only housekeeping that stays open while the item waits on somebody else.
      const housekeeping = ['EDIT', 'REPORT_PROGRESS', 'ESCALATE', 'MARK_LONG_TERM'];
      const expected = new Map<string, string[]>();
      for (const id of await visibleIds(user)) {
        const actions = ok(await get(user, `/api/items/${id}`)).body.availableActions as string[];
        if (actions.some((a) => !housekeeping.includes(a))) expected.set(id, actions);
      }
      expect(sorted(inbox.map((i) => i.id))).toEqual(sorted([...expected.keys()]));
      for (const entry of inbox) expect([entry.id, entry.availableActions]).toEqual([entry.id, expected.get(entry.id)]);

      const deadlines = inbox.map((i) => i.deadline);
      const firstNull = deadlines.indexOf(null);
      const dated = firstNull === -1 ? deadlines : deadlines.slice(0, firstNull);
      if (firstNull !== -1) expect(deadlines.slice(firstNull).every((d) => d === null)).toBe(true);
      expect(dated).toEqual([...dated].sort());
    });

    it('holds the fixtures each role is expected to act on, in deadline order', async () => {
      const inboxOf = async (user: Username) => {
        const inbox = ok(await get(user, '/api/inbox')).body as Array<{ id: string; availableActions: string[] }>;
        const byId = new Map(Object.entries(ids).map(([k, v]) => [v, k]));
        return inbox.filter((i) => byId.has(i.id)).map((i) => [byId.get(i.id), i.availableActions]);
      };
      // Deadlines: pending_acceptance +8, 住建局 named +11, extension requested +12, escalated +15; drafts and reviews have none. Items where the
      // user could only escalate, mark long-term or note progress wait on someone else and stay out.
      expect(await inboxOf('leader')).toEqual([
        ['pending_acceptance', ['ACCEPT', 'REJECT_RECTIFICATION']],
        ['rectifying (extension requested)', ['APPROVE_EXTENSION', 'DENY_EXTENSION', 'ESCALATE', 'MARK_LONG_TERM']],
        ['pending_review', ['CONFIRM', 'RETURN', 'DISMISS']],
      ]);
      expect(await inboxOf('cadre')).toEqual([
        ['rectifying (extension requested)', ['REPORT_PROGRESS', 'SUBMIT_RECTIFICATION']],
        ['draft', ['EDIT', 'SUBMIT', 'DISCARD']],
        ['pending_review', ['WITHDRAW']],
        ['returned', ['EDIT', 'SUBMIT']],
      ]);
      expect(await inboxOf('cadre2')).toEqual([['rectifying (cadre2 named)', ['REPORT_PROGRESS', 'SUBMIT_RECTIFICATION', 'REQUEST_EXTENSION']]]);
      expect(await inboxOf('dept')).toEqual([
        ['rectifying (住建局 staff named)', ['REPORT_PROGRESS', 'SUBMIT_RECTIFICATION', 'REQUEST_EXTENSION']],
        ['rectifying (escalated to 住建局)', ['REPORT_PROGRESS', 'SUBMIT_RECTIFICATION', 'REQUEST_EXTENSION']],
      ]);
      expect(await inboxOf('county')).toEqual([]);
      expect(await inboxOf('inspector')).toEqual([
        ['closed', ['SPOT_CHECK_PASS', 'REOPEN']],
        ['dismissed', ['SPOT_CHECK_PASS', 'REOPEN']],
      ]);
      expect(await inboxOf('leader2')).toEqual([['pending_review (河口镇)', ['CONFIRM', 'RETURN', 'DISMISS']]]);
      expect(await inboxOf('cadre3')).toEqual([['pending_review (河口镇)', ['WITHDRAW']]]);
      for (const user of ['admin', 'auditor'] as const) expect(ok(await get(user, '/api/inbox')).body).toEqual([]);
    });
  });

  // ------------------------------------------------------------ 6. bad input

  describe('bad input on item endpoints: 400 naming the field, nothing written', () => {
    const createBody = () => ({
      campaignId: campaignA,
      orgUnitId: t.demo.orgUnits.datong.id,
      problemTypeCode: 'HQ-01',
      description: '住房漏雨',
    });

    it.each<[string, Username, () => Record<string, unknown>, string[]]>([
      ['missing description', 'cadre', () => ({ ...createBody(), description: undefined }), ['description']],
      ['blank description', 'cadre', () => ({ ...createBody(), description: '   ' }), ['description']],
      ['unknown problemTypeCode', 'cadre', () => ({ ...createBody(), problemTypeCode: 'HQ-99' }), ['problemTypeCode']],
      ['orgUnitId in another township', 'cadre', () => ({ ...createBody(), orgUnitId: t.demo.orgUnits.hekou_a.id }), ['orgUnitId']],
      ['orgUnitId in the same township, another village', 'cadre', () => ({ ...createBody(), orgUnitId: t.demo.orgUnits.qilimiao.id }), ['orgUnitId']],
      // 行业排查: a department records at any village, but only its sector's types (this campaign maps none to 住建局).
      ['a village, for a department, outside its sector', 'dept', () => ({ ...createBody(), orgUnitId: t.demo.orgUnits.datong.id }), ['problemTypeCode']],
      ['orgUnitId of another department', 'dept', () => ({ ...createBody(), orgUnitId: t.demo.orgUnits.jiaoyu.id }), ['orgUnitId']],
      ['orgUnitId unknown', 'cadre', () => ({ ...createBody(), orgUnitId: '6f1c2a8e-3b1d-4c55-9a7e-2b8f0c1d9e00' }), ['orgUnitId']],
      ['orgUnitId not a uuid', 'cadre', () => ({ ...createBody(), orgUnitId: 'datong' }), ['orgUnitId']],
      ['campaignId unknown', 'cadre', () => ({ ...createBody(), campaignId: '6f1c2a8e-3b1d-4c55-9a7e-2b8f0c1d9e00' }), ['campaignId']],
      ['extra field', 'cadre', () => ({ ...createBody(), state: 'closed' }), ['state']],
      ['extra field investigatorId', 'cadre', () => ({ ...createBody(), investigatorId: t.demo.userIds.leader }), ['investigatorId']],
      ['description not a string', 'cadre', () => ({ ...createBody(), description: 42 }), ['description']],
      ['householdIdNumber malformed', 'cadre', () => ({ ...createBody(), householdIdNumber: '3415221980' }), ['householdIdNumber']],
    ])('POST /api/items, %s', async (_name, user, body, fields) => {
      const count = async () => ok(await get('county', `/api/items?campaignId=${campaignA}&limit=200`)).body.items.length;
      const before = await count();
      const res = await post(user, '/api/items', body());
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(fields);
      expect(res.body.message).toContain(fields[0]);
      expect(await count()).toBe(before);
    });

    it.each([['leader'], ['county'], ['inspector'], ['admin'], ['auditor']])('POST /api/items by %s, who does not investigate: 403', async (user) => {
      const res = await post(user, '/api/items', createBody());
      expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
    });

    it.each<[string, string, Username, () => Record<string, unknown>, string[]]>([
      ['unknown event type', 'pending_review', 'leader', () => ({ type: 'APPROVE' }), ['type']],
      ['EDIT is not an event (PATCH is)', 'draft', 'cadre', () => ({ type: 'EDIT' }), ['type']],
      ['missing type', 'draft', 'cadre', () => ({}), ['type']],
      ['extra field', 'draft', 'cadre', () => ({ type: 'SUBMIT', signerId: t.demo.userIds.leader }), ['signerId']],
      [
        'deadline not YYYY-MM-DD',
        'pending_review',
        'leader',
        () => ({ type: 'CONFIRM', measures: '维修', rectifierId: t.demo.userIds.cadre, deadline: '2099/06/30' }),
        ['deadline'],
      ],
      [
        'deadline not a real month',
        'pending_review',
        'leader',
        () => ({ type: 'CONFIRM', measures: '维修', rectifierId: t.demo.userIds.cadre, deadline: '2099-13-01' }),
        ['deadline'],
      ],
      [
        'deadline in the past',
        'pending_review',
        'leader',
        () => ({ type: 'CONFIRM', measures: '维修', rectifierId: t.demo.userIds.cadre, deadline: '2020-01-01' }),
        ['deadline'],
      ],
      [
        'deadline today',
        'pending_review',
        'leader',
        () => ({ type: 'CONFIRM', measures: '维修', rectifierId: t.demo.userIds.cadre, deadline: today }),
        ['deadline'],
      ],
      ['CONFIRM without the 四项清单', 'pending_review', 'leader', () => ({ type: 'CONFIRM' }), ['measures', 'rectifierId', 'deadline']],
      [
        'rectifierId not a uuid',
        'pending_review',
        'leader',
        () => ({ type: 'CONFIRM', measures: '维修', rectifierId: 'cadre', deadline: addDays(today, 5) }),
        ['rectifierId'],
      ],
      [
        'rectifierId unknown',
        'pending_review',
        'leader',
        () => ({ type: 'CONFIRM', measures: '维修', rectifierId: '6f1c2a8e-3b1d-4c55-9a7e-2b8f0c1d9e00', deadline: addDays(today, 5) }),
        ['rectifierId'],
      ],
      [
        'rectifierId the auditor',
        'pending_review',
        'leader',
        () => ({ type: 'CONFIRM', measures: '维修', rectifierId: t.demo.userIds.auditor, deadline: addDays(today, 5) }),
        ['rectifierId'],
      ],
      [
        'rectifierId the security administrator',
        'pending_review',
        'leader',
        () => ({ type: 'CONFIRM', measures: '维修', rectifierId: t.demo.userIds.security, deadline: addDays(today, 5) }),
        ['rectifierId'],
      ],
      ['RETURN without reason', 'pending_review', 'leader', () => ({ type: 'RETURN' }), ['reason']],
      ['DISMISS with blank reason', 'pending_review', 'leader', () => ({ type: 'DISMISS', reason: '  ' }), ['reason']],
      [
        'SUBMIT_RECTIFICATION without evidence',
        'rectifying (cadre2 named)',
        'cadre2',
        () => ({ type: 'SUBMIT_RECTIFICATION', comment: '已整改' }),
        ['evidence'],
      ],
      [
        'SUBMIT_RECTIFICATION with empty evidence',
        'rectifying (cadre2 named)',
        'cadre2',
        () => ({ type: 'SUBMIT_RECTIFICATION', comment: '已整改', evidence: [] }),
        ['evidence'],
      ],
      [
        'evidence not uuids',
        'rectifying (cadre2 named)',
        'cadre2',
        () => ({ type: 'SUBMIT_RECTIFICATION', comment: '已整改', evidence: ['proof.pdf'] }),
        ['evidence'],
      ],
      [
        'evidence unknown attachment',
        'rectifying (cadre2 named)',
        'cadre2',
        () => ({ type: 'SUBMIT_RECTIFICATION', comment: '已整改', evidence: ['6f1c2a8e-3b1d-4c55-9a7e-2b8f0c1d9e00'] }),
        ['evidence'],
      ],
      [
        'REQUEST_EXTENSION newDeadline malformed',
        'rectifying (cadre2 named)',
        'cadre2',
        () => ({ type: 'REQUEST_EXTENSION', reason: '雨季', newDeadline: '20990630' }),
        ['newDeadline'],
      ],
      [
        'REQUEST_EXTENSION newDeadline before the current deadline',
        'rectifying (cadre2 named)',
        'cadre2',
        () => ({ type: 'REQUEST_EXTENSION', reason: '雨季', newDeadline: addDays(today, 2) }),
        ['newDeadline'],
      ],
      [
        'ESCALATE to a village',
        'rectifying (cadre2 named)',
        'leader',
        () => ({ type: 'ESCALATE', reason: '无力解决', toOrgUnitId: t.demo.orgUnits.datong.id }),
        ['toOrgUnitId'],
      ],
      ['MARK_LONG_TERM without plan', 'rectifying (cadre2 named)', 'leader', () => ({ type: 'MARK_LONG_TERM' }), ['plan']],
      ['REOPEN a closed item without deadline', 'closed', 'inspector', () => ({ type: 'REOPEN', reason: '未整改到位' }), ['deadline']],
      ['fixedOnSite not a boolean', 'draft', 'cadre', () => ({ type: 'SUBMIT', fixedOnSite: 'yes' }), ['fixedOnSite']],
    ])('POST /api/items/:id/events, %s', async (_name, key, user, body, fields) => {
      const before = await footprint(ids[key]);
      const res = await post(user, `/api/items/${ids[key]}/events`, body());
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(fields);
      expect(await footprint(ids[key])).toEqual(before);
    });

    it.each<[string, () => Record<string, unknown>, string[]]>([
      ['blank description', () => ({ description: '' }), ['description']],
      ['unknown problemTypeCode', () => ({ problemTypeCode: 'HQ-99' }), ['problemTypeCode']],
      ['extra field', () => ({ state: 'closed' }), ['state']],
      ['orgUnitId cannot be changed', () => ({ orgUnitId: t.demo.orgUnits.qilimiao.id }), ['orgUnitId']],
      ['investigator cannot be changed', () => ({ investigatorId: t.demo.userIds.cadre2 }), ['investigatorId']],
    ])('PATCH /api/items/:id, %s', async (_name, body, fields) => {
      const before = await footprint(ids.draft);
      const res = await patch('cadre', `/api/items/${ids.draft}`, body());
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(fields);
      expect(await footprint(ids.draft)).toEqual(before);
    });

    it('a body that is not JSON is a 400', async () => {
      const res = await t.http
        .post(`/api/items/${ids.draft}/events`)
        .set(await auth('cadre'))
        .set('content-type', 'application/json')
        .send('{"type":');
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    });
  });
});
