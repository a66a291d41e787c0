import type { Response } from 'supertest';
import { Client } from 'pg';
import { Clock } from '../src/common/clock';
import { createTestApp, TestApp } from './app';
import { bearer } from './factories';

/**
 * A township's own campaign (干汊河's plan is a township's), through HTTP on
 * real PostgreSQL: the township leader creates it from the 干汊河 preset and
 * runs it (each step signed as 乡镇分管负责人); its items lie only in that
 * township; the county office sees it but does not run it; other townships do
 * not see it (404). And phase windows: a phase not yet left behind whose
 * planned end date has passed is flagged overdue.
 */
describe('township campaigns and phase windows', () => {
  let t: TestApp;
  let db: Client;
  let today: string;
  let campaignId: string;

  const get = async (u: string, path: string) => t.http.get(path).set('authorization', await bearer(t, u));
  const post = async (u: string, path: string, body: object = {}) =>
    t.http
      .post(path)
      .set('authorization', await bearer(t, u))
      .send(body);

  function ok(res: Response, status = 200): Response {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  }

  const footprint = async () =>
    (
      await db.query(
        `SELECT (SELECT count(*) FROM campaigns)::int AS campaigns, (SELECT coalesce(sum(version), 0) FROM campaigns)::int AS versions,
                (SELECT count(*) FROM signatures)::int AS signatures, (SELECT count(*) FROM problem_items)::int AS items`,
      )
    ).rows[0];

  beforeAll(async () => {
    t = await createTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    today = t.app.get(Clock).today();
    const year = Number(today.slice(0, 4));
    // The plan's windows start this December, so 排查问题 has not ended yet.
    const created = ok(
      await post('leader', '/api/campaigns', { preset: 'ganchahe', title: '城关镇脱贫攻坚“回头看”', docNumber: '城办〔2026〕1号', year }),
      201,
    ).body;
    campaignId = created.id;
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('the township leader creates it from the 干汊河 preset: scoped to their township, 34 items, theirs to start', async () => {
    const c = ok(await get('leader', `/api/campaigns/${campaignId}`)).body;
    expect([c.presetKey, c.state, c.township]).toEqual(['ganchahe', 'draft', { id: t.demo.orgUnits.chengguan.id, name: '城关镇' }]);
    expect(c.phases.map((p: { name: string }) => p.name)).toEqual(['排查问题', '整改落实']);
    expect(c.availableActions).toEqual(['START']);
  });

  it('the county office sees it (list and detail) with nothing to do; its advance is refused (409 not_permitted) and writes nothing', async () => {
    const seen = ok(await get('county', `/api/campaigns/${campaignId}`)).body;
    expect([seen.township.name, seen.availableActions]).toEqual(['城关镇', []]);
    expect(ok(await get('county', '/api/campaigns')).body.map((c: { id: string }) => c.id)).toContain(campaignId);
    const before = await footprint();
    const res = await post('county', `/api/campaigns/${campaignId}/advance`);
    expect([res.status, res.body.code, res.body.reason]).toEqual([409, 'TRANSITION_REFUSED', 'not_permitted']);
    expect(await footprint()).toEqual(before);
  });

  it.each(['leader2', 'cadre3'])('%s of another township: the campaign does not exist (404 on every route, not listed)', async (user) => {
    const before = await footprint();
    const answers = [
      await get(user, `/api/campaigns/${campaignId}`),
      await get(user, `/api/campaigns/${campaignId}/signatures`),
      await get(user, `/api/campaigns/${campaignId}/stats`),
      await get(user, `/api/campaigns/${campaignId}/ledger.xlsx`),
    ];
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404]);
    if (user === 'leader2') expect((await post(user, `/api/campaigns/${campaignId}/advance`)).status).toBe(404);
    expect(ok(await get(user, '/api/campaigns')).body.map((c: { id: string }) => c.id)).not.toContain(campaignId);
    expect(await footprint()).toEqual(before);
  });

  it.each(['cadre', 'cadre2', 'inspector', 'dept', 'auditor'])('%s (of the township, covering it, or county-level) sees it', async (user) => {
    expect(ok(await get(user, `/api/campaigns/${campaignId}`)).body.id).toBe(campaignId);
  });

  it('the leader starts it, signed as 乡镇分管负责人; the county office is told', async () => {
    const started = ok(await post('leader', `/api/campaigns/${campaignId}/advance`, { comment: '全镇启动“回头看”' })).body;
    expect([started.state, started.currentPhase.name]).toEqual(['running', '排查问题']);
    const chain = ok(await get('county', `/api/campaigns/${campaignId}/signatures`)).body;
    expect(chain.map((s: { kind: string; signer: { id: string; role: string } }) => [s.kind, s.signer.id, s.signer.role])).toEqual([
      ['campaign_start', t.demo.userIds.leader, 'township_leader'],
    ]);
    const notes = ok(await get('county', '/api/notifications')).body as Array<{ message: string }>;
    expect(notes.some((n) => n.message.includes('城关镇脱贫攻坚“回头看”'))).toBe(true);
    const elsewhere = ok(await get('leader2', '/api/notifications')).body as Array<{ message: string }>;
    expect(elsewhere.some((n) => n.message.includes('城关镇脱贫攻坚“回头看”'))).toBe(false);
  });

  it('items only in the township: its cadres record; another township cannot (the campaign does not exist for it)', async () => {
    const mine = ok(
      await post('cadre', '/api/items', { campaignId, orgUnitId: t.demo.orgUnits.datong.id, problemTypeCode: 'GCH-03', description: '住 C 级危房' }),
      201,
    ).body;
    expect([mine.problemType.name, mine.reviewLevel]).toEqual(['保障住房安全', 'township']);
    const before = await footprint();
    const theirs = await post('cadre3', '/api/items', { campaignId, orgUnitId: t.demo.orgUnits.hekou_a.id, problemTypeCode: 'GCH-03', description: '危房' });
    expect([theirs.status, theirs.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['campaignId']]);
    // 行业排查 into a township campaign is bound by the township too.
    const dept = await post('dept', '/api/items', { campaignId, orgUnitId: t.demo.orgUnits.hekou_a.id, problemTypeCode: 'GCH-03', description: '危房' });
    expect([dept.status, dept.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['orgUnitId']]);
    expect(await footprint()).toEqual(before);
    // The 登记问题 form is offered the township's units only.
    const offered = (ok(await get('dept', `/api/directory/recording-units?campaignId=${campaignId}`)).body as Array<{ id: string }>).map((u) => u.id).sort();
    expect(offered).toEqual(['chengguan', 'datong', 'qilimiao'].map((k) => t.demo.orgUnits[k].id).sort());
    expect((await get('cadre3', `/api/directory/recording-units?campaignId=${campaignId}`)).status).toBe(404);
  });

  it('the county office’s ranking and summary overview of it name 城关镇 only', async () => {
    const ranking = ok(await get('county', `/api/campaigns/${campaignId}/ranking`)).body;
    expect(ranking.entries.map((e: { township: { name: string } }) => e.township.name)).toEqual(['城关镇']);
    const summaries = ok(await get('county', `/api/campaigns/${campaignId}/summary-reports`)).body;
    expect(summaries.missing.map((m: { name: string }) => m.name)).toEqual(['城关镇']);
  });

  it('the leader advances and archives it (signed); archived, it is read-only', async () => {
    ok(await post('leader', `/api/campaigns/${campaignId}/advance`));
    const archived = ok(await post('leader', `/api/campaigns/${campaignId}/archive`, { comment: '“回头看”结束' })).body;
    expect(archived.state).toBe('archived');
    const chain = ok(await get('leader', `/api/campaigns/${campaignId}/signatures`)).body;
    expect(chain.map((s: { kind: string; signer: { role: string } }) => [s.kind, s.signer.role])).toEqual([
      ['campaign_start', 'township_leader'],
      ['phase_advance', 'township_leader'],
      ['archive', 'township_leader'],
    ]);
    const late = await post('cadre', '/api/items', { campaignId, orgUnitId: t.demo.orgUnits.datong.id, problemTypeCode: 'GCH-01', description: '辍学' });
    expect([late.status, late.body.code]).toEqual([409, 'TRANSITION_REFUSED']);
  });

  it('a campaign the county office creates stays county-wide (township null), seen by every township', async () => {
    const county = ok(await post('county', '/api/campaigns', { preset: 'huoqiu', title: '县级', docNumber: 'x' }), 201).body;
    expect(county.township).toBeNull();
    expect(ok(await get('leader2', `/api/campaigns/${county.id}`)).body.id).toBe(county.id);
  });

  describe('phase windows (已超期)', () => {
    const phasesOf = async (id: string) =>
      ok(await get('county', `/api/campaigns/${id}`)).body as { phases: Array<{ overdue: boolean }>; currentPhase: { overdue: boolean } | null };
    const advance = async (id: string) => ok(await post('county', `/api/campaigns/${id}/advance`));

    it('phases past their planned end are flagged while ahead or current, not once left behind or archived', async () => {
      // 霍邱 2021: every window ended long ago.
      const id = ok(await post('county', '/api/campaigns', { preset: 'huoqiu', title: '往年', docNumber: 'x', year: 2021 }), 201).body.id as string;
      expect((await phasesOf(id)).phases.map((p) => p.overdue)).toEqual([true, true, true, true]);
      await advance(id);
      const running = await phasesOf(id);
      expect([running.phases.map((p) => p.overdue), running.currentPhase?.overdue]).toEqual([[true, true, true, true], true]);
      await advance(id);
      expect((await phasesOf(id)).phases.map((p) => p.overdue)).toEqual([false, true, true, true]);
      ok(await post('county', `/api/campaigns/${id}/archive`));
      const archived = await phasesOf(id);
      expect([archived.phases.map((p) => p.overdue), archived.currentPhase]).toEqual([[false, false, false, false], null]);
    });

    it('future windows and windows without an end date are never overdue; the list shows the same flags', async () => {
      const future = ok(await post('county', '/api/campaigns', { preset: 'huoqiu', title: '来年', docNumber: 'x', year: 2099 }), 201).body.id as string;
      expect((await phasesOf(future)).phases.map((p) => p.overdue)).toEqual([false, false, false, false]);
      // A custom plan whose last phase has no end date (a long-term improvement phase).
      const open = ok(
        await post('county', '/api/campaigns', {
          title: '长期',
          docNumber: 'x',
          problemTypes: [{ code: 'Z', name: '其他' }],
          phases: [
            { kind: 'investigation', name: '排查', startDate: '2021-01-01', endDate: '2021-01-31' },
            { kind: 'improvement', name: '提升', startDate: '2021-02-01' },
          ],
        }),
        201,
      ).body.id as string;
      expect((await phasesOf(open)).phases.map((p) => p.overdue)).toEqual([true, false]);
      const listed = ok(await get('county', '/api/campaigns')).body.find((c: { id: string }) => c.id === future);
      expect(listed.phases.map((p: { overdue: boolean }) => p.overdue)).toEqual([false, false, false, false]);
    });
  });
});
