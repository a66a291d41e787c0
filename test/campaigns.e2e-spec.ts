import type { Response } from 'supertest';
import { Clock, DAY_MS } from '../src/common/clock';
import { DEMO_PASSWORD, DemoSeedService } from '../src/demo/demo-seed.service';
import { UsersService } from '../src/users/users.service';
import { createTestApp, TestApp } from './app';

/**
 * Campaigns through HTTP: the shipped presets, creating from a preset or a
 * custom plan, who may run a campaign, tenant isolation, phase gating of item
 * events (边查边改, the summary gate, long-term carry-over, archive), the
 * campaign's signature chain, and the published workflow definitions.
 */

const NON_COUNTY = ['leader', 'cadre', 'cadre2', 'leader2', 'cadre3', 'dept', 'inspector', 'admin', 'auditor'] as const;

interface TreeNode {
  code: string;
  name: string;
  responsibleUnits?: string[];
  children?: TreeNode[];
}
const flatten = (nodes: TreeNode[]): TreeNode[] => nodes.flatMap((n) => [n, ...flatten(n.children ?? [])]);
const leaves = (nodes: TreeNode[]) => flatten(nodes).filter((n) => !n.children?.length);
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

describe('campaigns', () => {
  let t: TestApp;
  let today: string;

  const auth = async (u: string) => ({ authorization: `Bearer ${await t.token(u)}` });
  const get = async (u: string, path: string) => t.http.get(path).set(await auth(u));
  const post = async (u: string, path: string, body: object = {}) =>
    t.http
      .post(path)
      .set(await auth(u))
      .send(body);

  function ok(res: Response, status = 200): Response {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  }

  /** What a refused campaign request must leave untouched. */
  async function campaignFootprint(id: string) {
    const c = ok(await get('county', `/api/campaigns/${id}`)).body;
    const sigs = ok(await get('county', `/api/campaigns/${id}/signatures`)).body as unknown[];
    return { state: c.state, phaseIndex: c.phaseIndex, version: c.version, signatures: sigs.length };
  }

  beforeAll(async () => {
    t = await createTestApp();
    today = t.app.get(Clock).today();
  });
  afterAll(async () => {
    t.app.get(Clock).reset();
    await t.close();
  });

  // ------------------------------------------------------------ 7. presets and creation

  describe('presets', () => {
    it('GET /api/campaign-presets lists 霍邱, 沈丘, 章贡 and 干汊河 with their plans and taxonomies', async () => {
      const presets = ok(await get('cadre', '/api/campaign-presets')).body as Array<{
        key: string;
        sourceDocument: string;
        phases: Array<{ kind: string; name: string }>;
        problemTypes: TreeNode[];
      }>;
      expect(presets.map((p) => p.key)).toEqual(['huoqiu', 'shenqiu', 'zhanggong', 'ganchahe']);
      const by = Object.fromEntries(presets.map((p) => [p.key, p]));

      expect(by.huoqiu.sourceDocument).toBe('霍扶组〔2021〕5号');
      expect(by.huoqiu.problemTypes.map((p) => p.name)).toEqual([
        '三保障和饮水安全',
        '产业发展',
        '脱贫人口就业',
        '脱贫人口小额信贷',
        '消费帮扶',
        '资金项目管理',
        '防止返贫动态监测',
        '帮扶工作',
        '其他',
      ]);
      expect(by.huoqiu.problemTypes.map((p) => p.code)).toEqual(['HQ-01', 'HQ-02', 'HQ-03', 'HQ-04', 'HQ-05', 'HQ-06', 'HQ-07', 'HQ-08', 'HQ-09']);
      expect(by.huoqiu.phases.map((p) => [p.kind, p.name])).toEqual([
        ['mobilization', '动员培训'],
        ['investigation', '实地排查'],
        ['rectification', '问题整改及动态管理'],
        ['summary', '工作总结'],
      ]);
      expect(by.shenqiu.phases.map((p) => [p.kind, p.name])).toEqual([
        ['investigation', '排查'],
        ['rectification', '集中整改'],
        ['improvement', '提升'],
      ]);
      expect(by.shenqiu.problemTypes).toHaveLength(4);
      expect(by.zhanggong.phases.map((p) => p.name)).toEqual(['全面排查', '抽查复核', '集中整改']);
      expect(by.ganchahe.phases.map((p) => [p.kind, p.name])).toEqual([
        ['investigation', '排查问题'],
        ['rectification', '整改落实'],
      ]);

      const gch = leaves(by.ganchahe.problemTypes);
      expect(gch).toHaveLength(34);
      expect(gch.map((l) => l.code)).toEqual(Array.from({ length: 34 }, (_, i) => `GCH-${String(i + 1).padStart(2, '0')}`));
      for (const leaf of gch) expect([leaf.code, (leaf.responsibleUnits ?? []).length > 0]).toEqual([leaf.code, true]);
      expect(gch[0].responsibleUnits).toContain('干汊河中心校');
      expect(gch[33].responsibleUnits).toEqual(['扶贫工作站']);
    });

    it.each<[string, number, Array<[string, string, string | null, string | null]>]>([
      [
        'huoqiu',
        2021,
        [
          ['mobilization', '动员培训', '2021-06-05', '2021-06-09'],
          ['investigation', '实地排查', '2021-06-10', '2021-06-15'],
          ['rectification', '问题整改及动态管理', '2021-06-16', '2021-06-25'],
          ['summary', '工作总结', '2021-06-26', '2021-06-28'],
        ],
      ],
      [
        'shenqiu',
        2021,
        [
          ['investigation', '排查', '2021-09-15', '2021-09-25'],
          ['rectification', '集中整改', '2021-09-26', '2021-10-15'],
          ['improvement', '提升', '2021-10-16', '2021-12-31'],
        ],
      ],
      [
        'zhanggong',
        2020,
        [
          ['investigation', '全面排查', null, '2020-04-12'],
          ['rectification', '抽查复核', '2020-04-13', '2020-04-22'],
          ['rectification', '集中整改', '2020-04-23', '2020-04-30'],
        ],
      ],
      // 干办[2019]55号: 排查 2019-12-01 … 2020-01-01, then 整改落实 from 2020-01-11: the plan runs on into the next year.
      [
        'ganchahe',
        2019,
        [
          ['investigation', '排查问题', '2019-12-01', '2020-01-01'],
          ['rectification', '整改落实', '2020-01-11', '2020-06-30'],
        ],
      ],
    ])('POST /api/campaigns from preset %s in %i: the preset plan, dated in that year, in order', async (preset, year, phases) => {
      const res = ok(await post('county', '/api/campaigns', { preset, title: `${preset} 专项行动`, docNumber: `文号${year}`, year }), 201).body;
      expect(res).toMatchObject({
        presetKey: preset,
        title: `${preset} 专项行动`,
        docNumber: `文号${year}`,
        state: 'draft',
        phaseIndex: -1,
        currentPhase: null,
      });
      expect(
        res.phases.map((p: { kind: string; name: string; startDate: string | null; endDate: string | null }) => [p.kind, p.name, p.startDate, p.endDate]),
      ).toEqual(phases);
      const presetBody = (ok(await get('county', '/api/campaign-presets')).body as Array<{ key: string; problemTypes: unknown }>).find(
        (p) => p.key === preset,
      )!;
      expect(res.problemTypes).toEqual(presetBody.problemTypes);
      // Phases follow one another in time.
      const dates = res.phases
        .flatMap((p: { startDate: string | null; endDate: string | null }) => [p.startDate, p.endDate])
        .filter((d: string | null) => d !== null);
      expect(dates).toEqual([...dates].sort());

      const got = ok(await get('leader', `/api/campaigns/${res.id}`)).body;
      expect(got.phases).toEqual(res.phases);
      expect(got.availableActions).toEqual([]);
      expect(ok(await get('county', `/api/campaigns/${res.id}`)).body.availableActions).toEqual(['START']);
    });

    it('without a year, preset dates fall in the current year', async () => {
      const res = ok(await post('county', '/api/campaigns', { preset: 'huoqiu', title: '今年', docNumber: '霍扶组' }), 201).body;
      expect(res.phases[0].startDate).toBe(`${today.slice(0, 4)}-06-05`);
    });

    it('custom phases and a custom problem-type tree; items use the tree, and a parent type filters its children', async () => {
      const body = {
        title: '自定义专项行动',
        docNumber: '自定〔2024〕1号',
        phases: [
          { kind: 'investigation', name: '入户排查', startDate: '2024-03-01', endDate: '2024-03-31' },
          { kind: 'rectification', name: '集中整改', startDate: '2024-04-01', endDate: '2024-05-31' },
          { kind: 'summary', name: '总结', startDate: '2024-06-01' },
        ],
        problemTypes: [
          {
            code: 'A',
            name: '住房',
            responsibleUnits: ['住建局'],
            children: [
              { code: 'A.1', name: '危房' },
              { code: 'A.2', name: '漏雨', aliases: ['屋顶漏雨'] },
            ],
          },
          { code: 'B', name: '饮水', description: '饮水安全' },
        ],
      };
      const res = ok(await post('county', '/api/campaigns', body), 201).body;
      expect(res.presetKey).toBeNull();
      // A draft's phases are all still ahead: those whose planned end has passed are 已超期; one without an end never is.
      expect(res.phases).toEqual([
        { kind: 'investigation', name: '入户排查', startDate: '2024-03-01', endDate: '2024-03-31', overdue: true },
        { kind: 'rectification', name: '集中整改', startDate: '2024-04-01', endDate: '2024-05-31', overdue: true },
        { kind: 'summary', name: '总结', startDate: '2024-06-01', endDate: null, overdue: false },
      ]);
      expect(res.problemTypes).toEqual(body.problemTypes);
      // 行业排查 by default: a type naming 住建局 among its 责任单位 is the sector of 县住房和城乡建设局（住建局）.
      expect(res.sectors).toEqual([{ problemTypeCode: 'A', departmentIds: [t.demo.orgUnits.zhujian.id] }]);

      // A preset with its own taxonomy replaced: preset phases, custom types.
      const mixed = ok(
        await post('county', '/api/campaigns', { preset: 'shenqiu', year: 2022, title: '混合', docNumber: 'x', problemTypes: [{ code: 'Z', name: '其他' }] }),
        201,
      ).body;
      expect(mixed.phases.map((p: { name: string }) => p.name)).toEqual(['排查', '集中整改', '提升']);
      expect(mixed.problemTypes).toEqual([{ code: 'Z', name: '其他' }]);

      ok(await post('county', `/api/campaigns/${res.id}/advance`)); // START: 入户排查 (investigation)
      const mk = async (code: string) =>
        post('cadre', '/api/items', { campaignId: res.id, orgUnitId: t.demo.orgUnits.datong.id, problemTypeCode: code, description: `类型 ${code}` });
      const a1 = ok(await mk('A.1'), 201).body;
      expect(a1.problemType).toEqual({ code: 'A.1', name: '危房' });
      const a2 = ok(await mk('A.2'), 201).body;
      const b = ok(await mk('B'), 201).body;
      const bad = await mk('HQ-01');
      expect([bad.status, bad.body.details?.[0]?.field]).toEqual([400, 'problemTypeCode']);
      const ids = async (q: string) =>
        (ok(await get('county', `/api/items?campaignId=${res.id}&${q}`)).body.items as Array<{ id: string }>).map((i) => i.id).sort();
      expect(await ids('problemType=A')).toEqual([a1.id, a2.id].sort());
      expect(await ids('problemType=A.2')).toEqual([a2.id]);
      expect(await ids('problemType=B')).toEqual([b.id]);
    });
  });

  describe('who may run a campaign', () => {
    // Township leaders create and run their own township's campaigns (test/township-campaigns.e2e-spec.ts); a county campaign is not theirs to run.
    it.each(['leader', 'leader2'])('%s: advancing or archiving a county campaign is refused (409 not_permitted) and writes nothing', async (user) => {
      const before = await campaignFootprint(campaignId);
      const answers = [await post(user, `/api/campaigns/${campaignId}/advance`, {}), await post(user, `/api/campaigns/${campaignId}/archive`, {})];
      expect(answers.map((r) => [r.status, r.body.code, r.body.reason])).toEqual(Array(2).fill([409, 'TRANSITION_REFUSED', 'not_permitted']));
      expect(await campaignFootprint(campaignId)).toEqual(before);
      const got = ok(await get(user, `/api/campaigns/${campaignId}`)).body;
      expect([got.id, got.availableActions]).toEqual([campaignId, []]);
    });

    let campaignId: string;
    beforeAll(async () => {
      campaignId = ok(await post('county', '/api/campaigns', { preset: 'huoqiu', title: '权限', docNumber: 'q' }), 201).body.id;
      ok(await post('county', `/api/campaigns/${campaignId}/advance`));
    });

    it.each(NON_COUNTY.filter((u) => !u.startsWith('leader')))(
      '%s: create, advance and archive are 403 and write nothing; reading is allowed',
      async (user) => {
        const count = (await get('county', '/api/campaigns')).body.length;
        const before = await campaignFootprint(campaignId);
        const answers = [
          await post(user, '/api/campaigns', { preset: 'huoqiu', title: '越权', docNumber: 'x' }),
          await post(user, `/api/campaigns/${campaignId}/advance`, {}),
          await post(user, `/api/campaigns/${campaignId}/archive`, {}),
        ];
        expect(answers.map((r) => [r.status, r.body.code])).toEqual(Array(3).fill([403, 'FORBIDDEN']));
        expect((await get('county', '/api/campaigns')).body.length).toBe(count);
        expect(await campaignFootprint(campaignId)).toEqual(before);
        // Campaigns are county-wide: everyone of the county reads them, with nothing to do.
        const got = ok(await get(user, `/api/campaigns/${campaignId}`)).body;
        expect([got.id, got.availableActions]).toEqual([campaignId, []]);
        expect(ok(await get(user, '/api/campaigns')).body.map((c: { id: string }) => c.id)).toContain(campaignId);
        expect(ok(await get(user, `/api/campaigns/${campaignId}/signatures`)).body).toHaveLength(before.signatures);
      },
    );

    it.each<[string, () => Record<string, unknown>, string[]]>([
      ['missing title', () => ({ preset: 'huoqiu', docNumber: 'x' }), ['title']],
      ['blank docNumber', () => ({ preset: 'huoqiu', title: 't', docNumber: '' }), ['docNumber']],
      ['missing title and docNumber', () => ({ preset: 'huoqiu' }), ['title', 'docNumber']],
      ['unknown preset', () => ({ preset: 'nowhere', title: 't', docNumber: 'x' }), ['preset']],
      ['year before 2000', () => ({ preset: 'huoqiu', title: 't', docNumber: 'x', year: 1999 }), ['year']],
      ['year not a number', () => ({ preset: 'huoqiu', title: 't', docNumber: 'x', year: '2021年' }), ['year']],
      ['neither preset nor phases', () => ({ title: 't', docNumber: 'x', problemTypes: [{ code: 'A', name: 'a' }] }), ['phases']],
      ['empty phases', () => ({ title: 't', docNumber: 'x', phases: [], problemTypes: [{ code: 'A', name: 'a' }] }), ['phases']],
      [
        'unknown phase kind',
        () => ({ title: 't', docNumber: 'x', phases: [{ kind: 'celebration', name: 'p' }], problemTypes: [{ code: 'A', name: 'a' }] }),
        ['phases.0.kind'],
      ],
      [
        'phase without name',
        () => ({ title: 't', docNumber: 'x', phases: [{ kind: 'investigation' }], problemTypes: [{ code: 'A', name: 'a' }] }),
        ['phases.0.name'],
      ],
      [
        'phase date not a date',
        () => ({
          title: 't',
          docNumber: 'x',
          phases: [{ kind: 'investigation', name: 'p', startDate: '2021-13-01' }],
          problemTypes: [{ code: 'A', name: 'a' }],
        }),
        ['phases.0.startDate'],
      ],
      [
        'phase ending before it starts',
        () => ({
          title: 't',
          docNumber: 'x',
          phases: [
            { kind: 'investigation', name: 'p' },
            { kind: 'rectification', name: 'q', startDate: '2021-06-10', endDate: '2021-06-01' },
          ],
          problemTypes: [{ code: 'A', name: 'a' }],
        }),
        ['phases.1.endDate'],
      ],
      ['custom phases without problem types', () => ({ title: 't', docNumber: 'x', phases: [{ kind: 'investigation', name: 'p' }] }), ['problemTypes']],
      [
        'duplicate problem-type codes across levels',
        () => ({ preset: 'huoqiu', title: 't', docNumber: 'x', problemTypes: [{ code: 'A', name: 'a', children: [{ code: 'A', name: 'b' }] }] }),
        ['problemTypes'],
      ],
      [
        'problem-type code with spaces',
        () => ({ preset: 'huoqiu', title: 't', docNumber: 'x', problemTypes: [{ code: 'A 1', name: 'a' }] }),
        ['problemTypes.0.code'],
      ],
      [
        'nested problem type without name',
        () => ({ preset: 'huoqiu', title: 't', docNumber: 'x', problemTypes: [{ code: 'A', name: 'a', children: [{ code: 'A.1' }] }] }),
        ['problemTypes.0.children.0.name'],
      ],
      ['extra field', () => ({ preset: 'huoqiu', title: 't', docNumber: 'x', state: 'running' }), ['state']],
      ['extra field countyId', () => ({ preset: 'huoqiu', title: 't', docNumber: 'x', countyId: t.demo.countyId }), ['countyId']],
    ])('POST /api/campaigns, %s: 400 naming the field, nothing written', async (_name, body, fields) => {
      const count = (await get('county', '/api/campaigns')).body.length;
      const res = await post('county', '/api/campaigns', body());
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(fields);
      expect((await get('county', '/api/campaigns')).body.length).toBe(count);
    });

    it('advance and archive accept only a comment', async () => {
      const before = await campaignFootprint(campaignId);
      const res = await post('county', `/api/campaigns/${campaignId}/advance`, { phaseIndex: 3 });
      expect([res.status, res.body.details?.map((d: { field: string }) => d.field)]).toEqual([400, ['phaseIndex']]);
      expect(await campaignFootprint(campaignId)).toEqual(before);
    });

    it('a campaign of another county does not exist (404), and ours do not exist for it', async () => {
      const other = await t.app.get(DemoSeedService).seedBareCounty('沈丘县', '411624', 'sq-admin');
      // Set up as the seed sets up a county (county_office is otherwise granted by two people: 三权分立).
      await t.app
        .get(UsersService)
        .create(
          other.countyId,
          { username: 'sq-county', displayName: '沈丘县巩固办', orgUnitId: other.countyId, roles: ['county_office'], password: DEMO_PASSWORD },
          null,
        );
      const theirs = ok(
        await post('sq-county', '/api/campaigns', { preset: 'shenqiu', title: '沈丘集中排查', docNumber: '沈巩组〔2021〕1号', year: 2021 }),
        201,
      ).body.id as string;
      const theirsBefore = ok(await get('sq-county', `/api/campaigns/${theirs}`)).body;

      for (const user of ['county', 'leader', 'admin', 'auditor'] as const) {
        const answers = [
          await get(user, `/api/campaigns/${theirs}`),
          await get(user, `/api/campaigns/${theirs}/signatures`),
          await post(user, `/api/campaigns/${theirs}/advance`),
          await post(user, `/api/campaigns/${theirs}/archive`),
        ];
        // A township leader may call advance and archive (of their own township's campaigns): 404 like the county office.
        const expected = user === 'county' || user === 'leader' ? [404, 404, 404, 404] : [404, 404, 403, 403];
        expect([user, answers.map((r) => r.status)]).toEqual([user, expected]);
        expect(ok(await get(user, '/api/campaigns')).body.map((c: { id: string }) => c.id)).not.toContain(theirs);
      }
      expect(ok(await get('sq-county', `/api/campaigns/${theirs}`)).body).toEqual(theirsBefore);
      const item = await post('cadre', '/api/items', {
        campaignId: theirs,
        orgUnitId: t.demo.orgUnits.datong.id,
        problemTypeCode: 'SQ-1.1',
        description: '跨县',
      });
      expect([item.status, item.body.details?.[0]?.field]).toEqual([400, 'campaignId']);

      expect((await get('sq-county', `/api/campaigns/${campaignId}`)).status).toBe(404);
      expect((await post('sq-county', `/api/campaigns/${campaignId}/advance`)).status).toBe(404);
      expect((await post('sq-county', `/api/campaigns/${campaignId}/archive`)).status).toBe(404);
      expect(ok(await get('sq-county', '/api/campaigns')).body.map((c: { id: string }) => c.id)).toEqual([theirs]);
    });

    it('unknown or malformed campaign ids are 404', async () => {
      for (const id of ['nope', '6f1c2a8e-3b1d-4c55-9a7e-2b8f0c1d9e00']) {
        expect((await get('county', `/api/campaigns/${id}`)).status).toBe(404);
        expect((await get('county', `/api/campaigns/${id}/signatures`)).status).toBe(404);
        expect((await post('county', `/api/campaigns/${id}/advance`)).status).toBe(404);
        expect((await post('county', `/api/campaigns/${id}/archive`)).status).toBe(404);
      }
    });
  });

  // ------------------------------------------------------------ 8. phase gating

  describe('phase gating over a 霍邱 campaign: 动员培训 → 实地排查 → 问题整改及动态管理 → 工作总结 → archived', () => {
    let cid: string;
    let evidence: string;
    const item: Record<string, string> = {};

    const advance = (comment?: string) => post('county', `/api/campaigns/${cid}/advance`, comment ? { comment } : {});
    const newItem = (description: string) =>
      post('cadre', '/api/items', { campaignId: cid, orgUnitId: t.demo.orgUnits.datong.id, problemTypeCode: 'HQ-01', description });
    const send = (user: string, id: string, body: object) => post(user, `/api/items/${id}/events`, body);
    const act = async (user: string, id: string, body: object) => ok(await send(user, id, body)).body;
    const refusedFor = (res: Response, reason: string) => {
      expect([res.status, res.body.code, res.body.reason]).toEqual([409, 'TRANSITION_REFUSED', reason]);
    };
    const actionsOf = async (user: string) => ok(await get(user, `/api/campaigns/${cid}`)).body.availableActions;
    async function itemFootprint(id: string) {
      const i = ok(await get('county', `/api/items/${id}`)).body;
      const chain = ok(await get('county', `/api/items/${id}/signatures`)).body as unknown[];
      return { state: i.state, version: i.version, signatures: chain.length };
    }

    beforeAll(async () => {
      cid = ok(await post('county', '/api/campaigns', { preset: 'huoqiu', title: '阶段门控', docNumber: '霍扶组〔2021〕5号', year: 2021 }), 201).body.id;
      evidence = ok(
        await t.http
          .post('/api/attachments')
          .set(await auth('cadre2'))
          .attach('file', Buffer.from('%PDF-1.4 evidence'), 'evidence.pdf'),
        201,
      ).body.id;
    });

    it('draft: no item can be recorded; the county office may only start it', async () => {
      refusedFor(await newItem('草稿阶段登记'), 'phase_closed');
      expect(ok(await get('county', `/api/items?campaignId=${cid}`)).body.items).toEqual([]);
      expect(await actionsOf('county')).toEqual(['START']);
      expect(await actionsOf('leader')).toEqual([]);
      refusedFor(await post('county', `/api/campaigns/${cid}/archive`), 'invalid_state');
    });

    it('动员培训 (mobilization): still no items', async () => {
      const started = ok(await advance('启动')).body;
      expect([started.state, started.phaseIndex, started.currentPhase?.kind, started.currentPhase?.name]).toEqual(['running', 0, 'mobilization', '动员培训']);
      refusedFor(await newItem('动员阶段登记'), 'phase_closed');
      expect(ok(await get('county', `/api/items?campaignId=${cid}`)).body.items).toEqual([]);
      expect(await actionsOf('county')).toEqual(['ADVANCE_PHASE', 'ARCHIVE']);
    });

    it('实地排查 (investigation): items are recorded, and rectification may start at once (边查边改)', async () => {
      const moved = ok(await advance()).body;
      expect([moved.phaseIndex, moved.currentPhase?.kind]).toEqual([1, 'investigation']);
      for (const key of ['longTerm', 'dismissed', 'discarded', 'accepted', 'closedEarly']) item[key] = ok(await newItem(key), 201).body.id;
      for (const key of ['longTerm', 'dismissed', 'accepted', 'closedEarly']) await act('cadre', item[key], { type: 'SUBMIT' });
      const deadline = addDays(today, 10);
      for (const key of ['longTerm', 'accepted', 'closedEarly']) {
        const confirmed = await act('leader', item[key], { type: 'CONFIRM', measures: '维修', rectifierId: t.demo.userIds.cadre2, deadline });
        expect(confirmed.state).toBe('rectifying');
      }
      for (const key of ['accepted', 'closedEarly']) {
        expect((await act('cadre2', item[key], { type: 'SUBMIT_RECTIFICATION', comment: '已整改', evidence: [evidence] })).state).toBe('pending_acceptance');
      }
      expect((await act('leader', item.closedEarly, { type: 'ACCEPT' })).state).toBe('closed');
      // 抽查复核 belongs to rectification and later: not while investigating.
      const before = await itemFootprint(item.closedEarly);
      expect((await get('inspector', `/api/items/${item.closedEarly}`)).body.availableActions).toEqual([]);
      refusedFor(await send('inspector', item.closedEarly, { type: 'SPOT_CHECK_PASS' }), 'phase_closed');
      refusedFor(await send('inspector', item.closedEarly, { type: 'REOPEN', reason: '复核不合格', deadline }), 'phase_closed');
      expect(await itemFootprint(item.closedEarly)).toEqual(before);
    });

    it('问题整改及动态管理: the summary phase stays shut while any item is open and not long-term', async () => {
      expect(ok(await advance()).body.currentPhase?.kind).toBe('rectification');
      // Open: longTerm (rectifying), dismissed (pending_review), discarded (draft), accepted (pending_acceptance).
      const blocked = async () => {
        const before = await campaignFootprint(cid);
        const res = await advance('进入总结');
        refusedFor(res, 'open_items_block_summary');
        expect(res.body.availableActions).toEqual(['ARCHIVE']);
        expect(await actionsOf('county')).toEqual(['ARCHIVE']);
        expect(await campaignFootprint(cid)).toEqual(before);
      };
      await blocked();
      expect((await act('leader', item.dismissed, { type: 'DISMISS', reason: '不属实' })).state).toBe('dismissed');
      await blocked();
      expect((await act('cadre', item.discarded, { type: 'DISCARD' })).deleted).toBe(true);
      await blocked();
      expect((await act('leader', item.accepted, { type: 'ACCEPT' })).state).toBe('closed');
      await blocked();
      // A returned item is open too.
      const returned = ok(await newItem('退回的问题'), 201).body.id;
      await act('cadre', returned, { type: 'SUBMIT' });
      expect((await act('leader', returned, { type: 'RETURN', reason: '补充材料' })).state).toBe('returned');
      await act('cadre', returned, { type: 'SUBMIT' });
      await act('leader', returned, { type: 'DISMISS', reason: '重复登记' });

      // The last open item is carried over as long-term (长期整改) with a plan.
      await blocked();
      const marked = await act('leader', item.longTerm, { type: 'MARK_LONG_TERM', plan: '分两年实施饮水改造' });
      expect([marked.state, marked.longTerm, marked.longTermPlan]).toEqual(['rectifying', true, '分两年实施饮水改造']);
      const sigs = ok(await get('county', `/api/items/${item.longTerm}/signatures`)).body as Array<{ kind: string }>;
      expect(sigs.at(-1)?.kind).toBe('long_term');
      expect(await actionsOf('county')).toEqual(['ADVANCE_PHASE', 'ARCHIVE']);

      const summary = ok(await advance('进入总结阶段')).body;
      expect([summary.phaseIndex, summary.currentPhase?.kind, summary.currentPhase?.name]).toEqual([3, 'summary', '工作总结']);
    });

    it('工作总结 (summary): no new items, no reopening; the long-term item is still rectified and accepted', async () => {
      refusedFor(await newItem('总结阶段登记'), 'phase_closed');
      const deadline = addDays(today, 10);
      const closedBefore = await itemFootprint(item.accepted);
      refusedFor(await send('inspector', item.accepted, { type: 'REOPEN', reason: '复核不合格', deadline }), 'phase_closed');
      refusedFor(await send('inspector', item.dismissed, { type: 'REOPEN', reason: '重新认定' }), 'phase_closed');
      expect(await itemFootprint(item.accepted)).toEqual(closedBefore);
      expect((await get('inspector', `/api/items/${item.accepted}`)).body.availableActions).toEqual(['SPOT_CHECK_PASS']);
      expect((await act('inspector', item.accepted, { type: 'SPOT_CHECK_PASS', comment: '抽查合格' })).inspected).toBe(true);

      expect((await act('cadre2', item.longTerm, { type: 'SUBMIT_RECTIFICATION', comment: '改造完成', evidence: [evidence] })).state).toBe(
        'pending_acceptance',
      );
      expect((await act('leader', item.longTerm, { type: 'ACCEPT' })).state).toBe('closed');

      // The plan has no phase after summary.
      const before = await campaignFootprint(cid);
      refusedFor(await advance(), 'invalid_state');
      expect(await campaignFootprint(cid)).toEqual(before);
      expect(await actionsOf('county')).toEqual(['ARCHIVE']);
    });

    it('archive makes the campaign and its items read-only', async () => {
      const archived = ok(await post('county', `/api/campaigns/${cid}/archive`, { comment: '专项行动结束' })).body;
      expect([archived.state, archived.currentPhase]).toEqual(['archived', null]);
      expect(await actionsOf('county')).toEqual([]);

      const before = await itemFootprint(item.longTerm);
      refusedFor(await send('inspector', item.longTerm, { type: 'SPOT_CHECK_PASS' }), 'phase_closed');
      refusedFor(await send('inspector', item.longTerm, { type: 'REOPEN', reason: '复核', deadline: addDays(today, 10) }), 'phase_closed');
      expect(await itemFootprint(item.longTerm)).toEqual(before);
      for (const user of ['county', 'leader', 'cadre', 'cadre2', 'inspector']) {
        expect([user, (await get(user, `/api/items/${item.longTerm}`)).body.availableActions]).toEqual([user, []]);
      }
      expect((await get('inspector', '/api/inbox')).body.map((i: { id: string }) => i.id)).not.toContain(item.longTerm);
      refusedFor(await newItem('归档后登记'), 'phase_closed');

      const campaignBefore = await campaignFootprint(cid);
      expect((await advance()).status).toBe(409);
      expect((await post('county', `/api/campaigns/${cid}/archive`)).status).toBe(409);
      expect(await campaignFootprint(cid)).toEqual(campaignBefore);
      // Still readable.
      expect(ok(await get('cadre', `/api/items?campaignId=${cid}`)).body.items.length).toBeGreaterThan(0);
    });

    it('every start, advance and archive is a county-office signature in one hash chain', async () => {
      const sigs = ok(await get('leader', `/api/campaigns/${cid}/signatures`)).body as Array<{
        seq: number;
        kind: string;
        comment: string | null;
        signer: { id: string; role: string };
        payload: { fromPhase: string | null; toPhase: string | null };
        stateBefore: string;
        stateAfter: string;
        prevHash: string | null;
        hash: string;
      }>;
      expect(sigs.map((s) => [s.kind, s.stateBefore, s.stateAfter, s.payload.fromPhase])).toEqual([
        ['campaign_start', 'draft', 'running', null],
        ['phase_advance', 'running', 'running', '动员培训'],
        ['phase_advance', 'running', 'running', '实地排查'],
        ['phase_advance', 'running', 'running', '问题整改及动态管理'],
        ['archive', 'running', 'archived', '工作总结'],
      ]);
      expect(sigs.slice(0, 4).map((s) => s.payload.toPhase)).toEqual(['动员培训', '实地排查', '问题整改及动态管理', '工作总结']);
      expect(sigs.map((s) => s.comment)).toEqual(['启动', null, null, '进入总结阶段', '专项行动结束']);
      expect(sigs.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5]);
      for (const s of sigs) expect(s.signer).toMatchObject({ id: t.demo.userIds.county, role: 'county_office' });
      for (let i = 1; i < sigs.length; i++) expect(sigs[i].prevHash).toBe(sigs[i - 1].hash);
      expect(new Set(sigs.map((s) => s.hash)).size).toBe(sigs.length);
    });

    it('every start, advance and archive tells the people working on campaigns (not admins, auditors or the signer)', async () => {
      type Note = { itemId: string | null; kind: string; message: string };
      const notes = async (user: string) =>
        (ok(await get(user, '/api/notifications')).body as Note[]).filter((n) => n.itemId === null && n.message.includes('「阶段门控」'));
      const expected = [
        '专项行动「阶段门控」已归档',
        '专项行动「阶段门控」进入「工作总结」阶段',
        '专项行动「阶段门控」进入「问题整改及动态管理」阶段',
        '专项行动「阶段门控」进入「实地排查」阶段',
        '专项行动「阶段门控」已启动，进入「动员培训」阶段',
      ];
      for (const user of ['leader', 'cadre', 'cadre3', 'dept', 'inspector']) {
        const mine = await notes(user);
        expect([user, mine.map((n) => n.message)]).toEqual([user, expected]);
        for (const n of mine) expect(n.kind).toBe('notifyParticipants');
      }
      for (const user of ['county', 'admin', 'auditor']) expect([user, await notes(user)]).toEqual([user, []]);
    });
  });

  // ------------------------------------------------------------ 9. workflow definitions

  describe('workflow definitions', () => {
    it('GET /api/workflows lists problem-item and campaign with version and a Mermaid diagram', async () => {
      const list = ok(await get('cadre', '/api/workflows')).body as Array<{ id: string; version: number; states: string[]; events: string[]; mermaid: string }>;
      expect(list.map((w) => [w.id, w.version])).toEqual([
        ['problem-item', 1],
        ['campaign', 1],
      ]);
      const [item, campaign] = list;
      expect(item.mermaid.split('\n')[0]).toBe('stateDiagram-v2');
      for (const s of ['draft', 'pending_review', 'returned', 'rectifying', 'pending_acceptance', 'closed', 'dismissed', 'discarded'])
        expect(item.mermaid).toContain(s);
      for (const e of ['SUBMIT', 'CONFIRM', 'SUBMIT_RECTIFICATION', 'ACCEPT', 'SPOT_CHECK_PASS', 'REOPEN', 'REQUEST_EXTENSION'])
        expect(item.mermaid).toContain(`: ${e}`);
      expect(item.states).toContain('rectifying.extension.requested');
      expect(item.events).toContain('MARK_LONG_TERM');
      expect(campaign.mermaid.split('\n')[0]).toBe('stateDiagram-v2');
      for (const e of ['START', 'ADVANCE_PHASE', 'ARCHIVE']) expect(campaign.mermaid).toContain(`: ${e}`);
      expect(campaign.states).toEqual(expect.arrayContaining(['draft', 'running', 'archived']));

      for (const w of list) expect(ok(await get('auditor', `/api/workflows/${w.id}`)).body).toEqual(w);
    });

    it.each(['nope', 'toString', 'constructor', '__proto__', 'hasOwnProperty'])('GET /api/workflows/%s is 404', async (id) => {
      const res = await get('county', `/api/workflows/${id}`);
      expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
    });

    it('needs a login', async () => {
      expect((await t.http.get('/api/workflows')).status).toBe(401);
    });
  });
});
