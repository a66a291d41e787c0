import ExcelJS from 'exceljs';
import { chinaDate, Clock, DAY_MS } from '../src/common/clock';
import { createTestApp, TestApp } from './app';
import { bearer, createDraft, rectificationCampaign, uploadPdf, binaryBody } from './factories';

/**
 * A small campaign with known answers. Day 0 is ten days ago; items:
 *  A 大同村 HQ-01 confirmed day 0, closed day 1 (1 day to close)
 *  B 大同村 HQ-02 confirmed day 0 with deadline day 5: overdue from day 6 on
 *  C 七里庙村 HQ-01 dismissed day 0
 *  D 河口镇东岗村 HQ-01 confirmed day 0, closed day 4 (4 days)
 */
describe('statistics, series, ranking, notices and summary reports', () => {
  let t: TestApp;
  let clock: Clock;
  let campaignId: string;
  const ids: Record<string, string> = {};
  const day = (n: number) => chinaDate(new Date(Date.now() + (n - 10) * DAY_MS));

  const event = async (user: string, id: string, body: object) => {
    const res = await t.http
      .post(`/api/items/${id}/events`)
      .set('authorization', await bearer(t, user))
      .send(body);
    if (res.status !== 200) throw new Error(`${user} ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const get = async (user: string, path: string) => {
    const res = await t.http.get(path).set('authorization', await bearer(t, user));
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    // The set-up logs in 10 days back and moves the clock by days; the tokens cached for the whole file must outlive that.
    t = await createTestApp({ SESSION_IDLE_MINUTES: String(14 * 24 * 60), SESSION_MAX_HOURS: String(20 * 24) });
    clock = t.app.get(Clock);
    clock.travel(-10 * DAY_MS);
    campaignId = await rectificationCampaign(t, '报表测试');
    ids.A = (await createDraft(t, campaignId, { problemTypeCode: 'HQ-01', description: 'A' })).id;
    ids.B = (await createDraft(t, campaignId, { problemTypeCode: 'HQ-02', description: 'B' })).id;
    ids.C = (await createDraft(t, campaignId, { problemTypeCode: 'HQ-01', description: 'C', orgUnitId: t.demo.orgUnits.qilimiao.id }, 'cadre2')).id;
    ids.D = (await createDraft(t, campaignId, { problemTypeCode: 'HQ-01', description: 'D', orgUnitId: t.demo.orgUnits.hekou_a.id }, 'cadre3')).id;
    await event('cadre', ids.A, { type: 'SUBMIT' });
    await event('cadre', ids.B, { type: 'SUBMIT' });
    await event('cadre2', ids.C, { type: 'SUBMIT' });
    await event('cadre3', ids.D, { type: 'SUBMIT' });
    const confirm = (rectifier: string, deadline: string) => ({ type: 'CONFIRM', measures: '整改', rectifierId: t.demo.userIds[rectifier], deadline });
    await event('leader', ids.A, confirm('cadre', day(2)));
    await event('leader', ids.B, confirm('cadre', day(5)));
    await event('leader', ids.C, { type: 'DISMISS', reason: '不属实' });
    await event('leader2', ids.D, confirm('cadre3', day(20)));
    clock.travel(DAY_MS);
    await event('cadre', ids.A, { type: 'SUBMIT_RECTIFICATION', comment: '完成', evidence: [await uploadPdf(t, 'cadre')] });
    await event('leader', ids.A, { type: 'ACCEPT' });
    clock.travel(3 * DAY_MS);
    await event('cadre3', ids.D, { type: 'SUBMIT_RECTIFICATION', comment: '完成', evidence: [await uploadPdf(t, 'cadre3')] });
    await event('leader2', ids.D, { type: 'ACCEPT' });
    clock.reset();
  });
  afterAll(() => t.close());

  it('groups by township and problem type with known figures', async () => {
    const s = await get('county', `/api/campaigns/${campaignId}/stats`);
    const unit = (name: string) => s.byOrgUnit.find((r: { orgUnit: { name: string } }) => r.orgUnit.name === name).figures;
    expect(unit('城关镇')).toEqual({
      found: 3,
      confirmed: 2,
      pendingReview: 0,
      rectifying: 1,
      pendingAcceptance: 0,
      closed: 1,
      dismissed: 1,
      overdue: 1,
      reopened: 0,
      rectificationRate: 0.5,
      avgDaysToClose: 1,
    });
    expect(unit('河口镇')).toEqual(expect.objectContaining({ found: 1, confirmed: 1, closed: 1, overdue: 0, rectificationRate: 1, avgDaysToClose: 4 }));
    expect(s.total).toEqual(
      expect.objectContaining({ found: 4, confirmed: 3, closed: 2, dismissed: 1, overdue: 1, rectificationRate: 0.6667, avgDaysToClose: 2.5 }),
    );
    const cell = (unitName: string, code: string) =>
      s.rows.find((r: { orgUnit: { name: string }; problemType: { code: string } }) => r.orgUnit.name === unitName && r.problemType.code === code)?.figures;
    expect(cell('城关镇', 'HQ-01')).toEqual(expect.objectContaining({ found: 2, confirmed: 1, closed: 1, dismissed: 1 }));
    expect(cell('城关镇', 'HQ-02')).toEqual(expect.objectContaining({ found: 1, rectifying: 1, overdue: 1 }));
    expect(s.rows.find((r: { problemType: { code: string; name: string } }) => r.problemType.code === 'HQ-02').problemType.name).toBe('产业发展');
  });

  it('exports statistics and series as .xlsx with the same figures', async () => {
    const download = async (path: string) => {
      const res = await t.http
        .get(path)
        .set('authorization', await bearer(t, 'county'))
        .buffer(true)
        .parse(binaryBody);
      expect([res.status, res.headers['content-type']]).toEqual([200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
      expect(res.headers['cache-control']).toBe('no-store'); // workbooks may hold personal data
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body);
      return wb;
    };
    const stats = await download(`/api/campaigns/${campaignId}/stats.xlsx`);
    const summary = stats.getWorksheet('汇总')!;
    expect(summary.getRow(2).values).toEqual(expect.arrayContaining(['乡镇/部门', '排查发现', '已确认', '已销号', '超期', '整改率']));
    const chengguan = summary.getRow(3).values as unknown[];
    expect(chengguan.slice(1, 4)).toEqual(['城关镇', 3, 2]);
    const series = await download(`/api/campaigns/${campaignId}/series.xlsx?interval=day&from=${day(0)}&to=${day(1)}`);
    const rows = series.getWorksheet('每日进度')!;
    // The day is a date cell.
    expect((rows.getRow(4).values as unknown[]).slice(1, 3)).toEqual([new Date(`${day(1)}T00:00:00Z`), 4]);
  });

  it('groups by village within a township, and only within the caller’s scope', async () => {
    const villages = await get('leader', `/api/campaigns/${campaignId}/stats?townshipId=${t.demo.orgUnits.chengguan.id}`);
    expect(villages.groupBy).toBe('village');
    expect(villages.byOrgUnit.map((r: { orgUnit: { name: string }; figures: { found: number } }) => [r.orgUnit.name, r.figures.found])).toEqual([
      ['大同村', 2],
      ['七里庙村', 1],
    ]);
    const hekou = await get('leader2', `/api/campaigns/${campaignId}/stats`);
    expect(hekou.byOrgUnit.map((r: { orgUnit: { name: string } }) => r.orgUnit.name)).toEqual(['河口镇']);
    expect(hekou.total.found).toBe(1);
  });

  it('computes daily and Friday series from the signatures, true for past days', async () => {
    const s = await get('county', `/api/campaigns/${campaignId}/series?interval=day&from=${day(0)}&to=${day(7)}`);
    const at = (n: number) => s.points.find((p: { date: string }) => p.date === day(n)).figures;
    expect(s.points).toHaveLength(8);
    expect(at(0)).toEqual(expect.objectContaining({ found: 4, confirmed: 3, closed: 0, dismissed: 1, rectifying: 3, overdue: 0 }));
    expect(at(1)).toEqual(expect.objectContaining({ closed: 1, rectifying: 2 }));
    expect(at(4)).toEqual(expect.objectContaining({ closed: 2, rectifying: 1, overdue: 0 }));
    expect(at(5).overdue).toBe(0);
    expect(at(6).overdue).toBe(1);
    const weekly = await get('county', `/api/campaigns/${campaignId}/series?interval=week&from=${day(0)}&to=${day(10)}`);
    for (const p of weekly.points.slice(0, -1)) expect(new Date(`${p.date}T00:00:00Z`).getUTCDay()).toBe(5);
    expect(weekly.points[weekly.points.length - 1].date).toBe(day(10));
  });

  it('ranks townships by rectification rate, then overdue, then days to close', async () => {
    const r = await get('county', `/api/campaigns/${campaignId}/ranking`);
    expect(r.entries.map((e: { township: { name: string }; rank: number | null }) => [e.township.name, e.rank])).toEqual([
      ['河口镇', 1],
      ['城关镇', 2],
      ['周集镇', null],
    ]);
    expect(r.entries[0]).toEqual(expect.objectContaining({ rectificationRate: 1, overdue: 0, avgDaysToClose: 4, commended: true }));
    // As of day 2 城关镇 had closed A while 河口镇 had closed nothing yet.
    const early = await get('county', `/api/campaigns/${campaignId}/ranking?to=${day(2)}`);
    expect(early.entries.slice(0, 2).map((e: { township: { name: string } }) => e.township.name)).toEqual(['城关镇', '河口镇']);
    // A period starting after A and D were closed leaves only B to assess for 城关镇.
    const late = await get('county', `/api/campaigns/${campaignId}/ranking?from=${day(5)}`);
    expect(late.entries.find((e: { township: { name: string } }) => e.township.name === '城关镇')).toEqual(
      expect.objectContaining({ rectificationRate: 0, overdue: 1 }),
    );
    const wb = new ExcelJS.Workbook();
    const xlsx = await t.http
      .get(`/api/campaigns/${campaignId}/ranking.xlsx`)
      .set('authorization', await bearer(t, 'county'))
      .buffer(true)
      .parse(binaryBody);
    expect(xlsx.status).toBe(200);
    await wb.xlsx.load(xlsx.body);
    expect(wb.getWorksheet('乡镇排名')!.getRow(3).getCell(2).value).toBe('河口镇');
  });

  it('issues a 督办通知书 listing exactly the recipient’s overdue items, visible to that township only', async () => {
    const county = await bearer(t, 'county');
    const res = await t.http
      .post(`/api/campaigns/${campaignId}/notices`)
      .set('authorization', county)
      .send({ recipientOrgUnitId: t.demo.orgUnits.chengguan.id, deadline: day(15), note: '请抓紧整改' })
      .expect(201);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([ids.B]);
    expect(res.body.items[0].daysOverdue).toBe(5);
    const none = await t.http
      .post(`/api/campaigns/${campaignId}/notices`)
      .set('authorization', county)
      .send({ recipientOrgUnitId: t.demo.orgUnits.hekou.id, deadline: day(15) })
      .expect(409);
    expect(none.body.code).toBe('CONFLICT');
    const bad = await t.http
      .post(`/api/campaigns/${campaignId}/notices`)
      .set('authorization', county)
      .send({ recipientOrgUnitId: t.demo.orgUnits.datong.id, deadline: day(15) })
      .expect(400);
    expect(bad.body.details[0].field).toBe('recipientOrgUnitId');
    await t.http
      .post(`/api/campaigns/${campaignId}/notices`)
      .set('authorization', await bearer(t, 'leader'))
      .send({ recipientOrgUnitId: t.demo.orgUnits.chengguan.id, deadline: day(15) })
      .expect(403);
    expect((await get('leader', '/api/notices')).map((n: { id: string }) => n.id)).toEqual([res.body.id]);
    expect(await get('leader2', '/api/notices')).toEqual([]);
    await t.http
      .get(`/api/notices/${res.body.id}`)
      .set('authorization', await bearer(t, 'leader2'))
      .expect(404);
    const file = await t.http
      .get(`/api/notices/${res.body.id}/notice.xlsx`)
      .set('authorization', await bearer(t, 'leader'))
      .buffer(true)
      .parse(binaryBody);
    expect(file.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body);
    const texts = wb.getWorksheet('督办通知书')!.getSheetValues().flat().map(String);
    expect(texts).toEqual(expect.arrayContaining(['B', '城关镇：']));
  });

  it('files a summary report in the summary phase only, with figures frozen at filing', async () => {
    const leader = await bearer(t, 'leader');
    const early = await t.http.post(`/api/campaigns/${campaignId}/summary-reports`).set('authorization', leader).send({ text: '总结' }).expect(409);
    expect(early.body.reason).toBe('phase_closed');
    await event('leader', ids.B, { type: 'MARK_LONG_TERM', plan: '纳入明年危房改造计划' });
    await t.http
      .post(`/api/campaigns/${campaignId}/advance`)
      .set('authorization', await bearer(t, 'county'))
      .send({})
      .expect(200);
    const filed = await t.http
      .post(`/api/campaigns/${campaignId}/summary-reports`)
      .set('authorization', leader)
      .send({ text: '城关镇集中排查工作总结' })
      .expect(201);
    expect(filed.body.figures).toEqual(expect.objectContaining({ found: 3, closed: 1, rectifying: 1, overdue: 1 }));
    await t.http.post(`/api/campaigns/${campaignId}/summary-reports`).set('authorization', leader).send({ text: '再报一次' }).expect(409);
    await t.http.post(`/api/campaigns/${campaignId}/summary-reports`).set('authorization', leader).send({}).expect(400);
    // The long-term item is finished later: live figures move, the filed report does not.
    await event('cadre', ids.B, { type: 'SUBMIT_RECTIFICATION', comment: '完成', evidence: [await uploadPdf(t, 'cadre')] });
    await event('leader', ids.B, { type: 'ACCEPT' });
    const live = await get('county', `/api/campaigns/${campaignId}/stats`);
    expect(live.byOrgUnit.find((r: { orgUnit: { name: string } }) => r.orgUnit.name === '城关镇').figures.closed).toBe(2);
    const overview = await get('county', `/api/campaigns/${campaignId}/summary-reports`);
    expect(overview.filed).toHaveLength(1);
    expect(overview.filed[0].figures).toEqual(filed.body.figures);
    expect(overview.missing.map((m: { name: string }) => m.name)).toEqual(['河口镇', '周集镇']);
  });

  it('replays a WITHDRAW (which signs nothing): the withdrawn item counts as returned, not pending review', async () => {
    const other = await rectificationCampaign(t, '撤回统计');
    const kept = (await createDraft(t, other, { description: '仍待审核' })).id;
    const withdrawn = (await createDraft(t, other, { description: '排查人撤回' })).id;
    await event('cadre', kept, { type: 'SUBMIT' });
    await event('cadre', withdrawn, { type: 'SUBMIT' });
    await event('cadre', withdrawn, { type: 'WITHDRAW' });
    expect((await get('county', `/api/items/${withdrawn}`)).state).toBe('returned');
    const stats = await get('county', `/api/campaigns/${other}/stats`);
    expect(stats.total).toEqual(expect.objectContaining({ found: 2, pendingReview: 1, confirmed: 0 }));
    const series = await get('county', `/api/campaigns/${other}/series?interval=day&from=${day(10)}&to=${day(10)}`);
    expect(series.points.map((p: { figures: { pendingReview: number } }) => p.figures.pendingReview)).toEqual([1]);
    // The change is on record, outside the signature chain, under the investigator's name.
    const audit = (await get('auditor', `/api/audit-events?subjectId=${withdrawn}&action=item.`)) as Array<{
      action: string;
      actorId: string;
      details: Record<string, unknown>;
    }>;
    expect(audit.map((a) => [a.action, a.actorId, a.details.stateBefore, a.details.stateAfter])).toEqual([
      ['item.withdraw', t.demo.userIds.cadre, 'pending_review', 'returned'],
    ]);
    expect((await get('county', `/api/items/${withdrawn}/signatures`)).map((s: { eventType: string }) => s.eventType)).toEqual(['SUBMIT']);
  });
});
