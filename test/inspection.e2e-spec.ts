import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { chinaDate, Clock, DAY_MS } from '../src/common/clock';
import { selectSample } from '../src/inspection/draw-selection';
import { verifyDraws } from '../src/inspection/draw-verification';
import type { DrawPopulationEntry } from '../src/inspection/spot-check-draw.entity';
import { verifyAllChains } from '../src/signatures/chain-audit';
import { verifyCommand } from '../src/signatures/verify';
import { ChainKeys } from '../src/signatures/chain-keys';
import { createTestApp, TEST_CHAIN_KEY, TestApp } from './app';
import { bearer, createDraft, rectificationCampaign, tamperWith, uploadPdf, binaryBody } from './factories';

type Cell = [string, unknown];
/** The workbook read back by Debian's python3-openpyxl (not by the exceljs that wrote it): sheet → rows of [type, value]. */
function readXlsx(data: Buffer): Record<string, Cell[][]> {
  const file = join(mkdtempSync(join(tmpdir(), 'qingling-xlsx-')), 'export.xlsx');
  writeFileSync(file, data);
  return JSON.parse(execFileSync('/usr/bin/python3', [resolve(__dirname, 'fixtures/read-xlsx.py'), file], { encoding: 'utf8' }));
}

/**
 * 抽查复核 and 谁签字谁负责 on real PostgreSQL. Day 0 is ten days ago. Items of campaign 抽查:
 *  城关镇 大同村: D1–D4 closed (rectifier cadre, accepted by leader); 七里庙村: Q1 closed (rectifier cadre2), Q2 dismissed;
 *  城关镇 大同村: L confirmed with deadline day 2 and never rectified (overdue since day 3);
 *  河口镇 东岗村: H1, H2 closed (rectifier cadre3, accepted by leader2).
 * The inspector's group (第一督查组) covers 城关镇 only.
 */
describe('spot-check draws, coverage and accountability', () => {
  let t: TestApp;
  let clock: Clock;
  let db: Client;
  let campaignId: string;
  const ids: Record<string, string> = {};
  const day = (n: number) => chinaDate(new Date(Date.now() + (n - 10) * DAY_MS));

  const event = async (user: string, id: string, body: object) => {
    const res = await t.http
      .post(`/api/items/${id}/events`)
      .set('authorization', await bearer(t, user))
      .send(body);
    if (res.status !== 200) throw new Error(`${user} ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const get = async (user: string, path: string, status = 200) => {
    const res = await t.http.get(path).set('authorization', await bearer(t, user));
    expect([path, res.status]).toEqual([path, status]);
    return res.body;
  };
  const draw = async (user: string, body: object) =>
    t.http
      .post(`/api/campaigns/${campaignId}/spot-check-draws`)
      .set('authorization', await bearer(t, user))
      .send(body);
  const download = async (user: string, path: string): Promise<Buffer> => {
    const res = await t.http
      .get(path)
      .set('authorization', await bearer(t, user))
      .buffer(true)
      .parse(binaryBody);
    expect([res.status, res.headers['content-type']]).toEqual([200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    return res.body as Buffer;
  };

  const close = async (key: string, village: string, investigator: string, leader: string, rectifier: string) => {
    ids[key] = (await createDraft(t, campaignId, { description: key, orgUnitId: t.demo.orgUnits[village].id }, investigator)).id;
    await event(investigator, ids[key], { type: 'SUBMIT' });
    await event(leader, ids[key], { type: 'CONFIRM', measures: '整改', rectifierId: t.demo.userIds[rectifier], deadline: day(20) });
    await event(rectifier, ids[key], { type: 'SUBMIT_RECTIFICATION', comment: '完成', evidence: [await uploadPdf(t, rectifier)] });
    await event(leader, ids[key], { type: 'ACCEPT' });
  };

  beforeAll(async () => {
    t = await createTestApp({ SESSION_IDLE_MINUTES: String(14 * 24 * 60), SESSION_MAX_HOURS: String(20 * 24) });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    clock = t.app.get(Clock);
    clock.travel(-10 * DAY_MS);
    campaignId = await rectificationCampaign(t, '抽查');
    for (const k of ['D1', 'D2', 'D3', 'D4']) await close(k, 'datong', 'cadre', 'leader', 'cadre');
    await close('Q1', 'qilimiao', 'cadre2', 'leader', 'cadre2');
    ids.Q2 = (await createDraft(t, campaignId, { description: 'Q2', orgUnitId: t.demo.orgUnits.qilimiao.id }, 'cadre2')).id;
    await event('cadre2', ids.Q2, { type: 'SUBMIT' });
    await event('leader', ids.Q2, { type: 'DISMISS', reason: '不属实' });
    ids.L = (await createDraft(t, campaignId, { description: 'L' })).id;
    await event('cadre', ids.L, { type: 'SUBMIT' });
    await event('leader', ids.L, { type: 'CONFIRM', measures: '整改', rectifierId: t.demo.userIds.cadre, deadline: day(2) });
    await close('H1', 'hekou_a', 'cadre3', 'leader2', 'cadre3');
    await close('H2', 'hekou_a', 'cadre3', 'leader2', 'cadre3');
    clock.travel(5 * DAY_MS);
  });
  afterAll(async () => {
    clock.reset();
    await db.end();
    await t.close();
  });

  let first: Record<string, any>;

  it('an inspector draws from the townships their group covers, at least one per village, signed with a recorded seed', async () => {
    const res = await draw('inspector', { mode: 'percent', value: 20 });
    expect(res.status).toBe(201);
    first = res.body;
    expect(first).toEqual(
      expect.objectContaining({ round: 1, mode: 'percent', value: 20, populationSize: 6, drawnBy: expect.objectContaining({ name: '周强（第一督查组）' }) }),
    );
    expect(first.townships.map((x: { name: string }) => x.name)).toEqual(['城关镇']);
    expect(first.seed).toMatch(/^[0-9a-f]{64}$/);
    // 20% of 城关镇's six settled items is 2 (rounded up), one from each of its two villages.
    expect(first.items).toHaveLength(2);
    expect(new Set(first.items.map((i: { orgUnit: { name: string } }) => i.orgUnit.name))).toEqual(new Set(['大同村', '七里庙村']));
    expect(first.items.every((i: { check: string }) => i.check === 'pending')).toBe(true);
    // The signature covers the seed and the sample, in a chain of its own.
    const [sig] = (await db.query(`SELECT subject_type, kind, signer_id, payload FROM signatures WHERE subject_id = $1`, [first.id])).rows;
    expect(sig).toEqual(expect.objectContaining({ subject_type: 'spot_check_draw', kind: 'spot_check_draw', signer_id: t.demo.userIds.inspector }));
    expect(sig.payload).toEqual(expect.objectContaining({ seed: first.seed, itemIds: first.items.map((i: { id: string }) => i.id) }));
  });

  it('reproduces the sample from the recorded seed and population', async () => {
    const [row] = (await db.query(`SELECT seed, population, mode, value FROM spot_check_draws WHERE id = $1`, [first.id])).rows;
    const population = row.population as DrawPopulationEntry[];
    expect(population.map((p) => p.id).sort()).toEqual([ids.D1, ids.D2, ids.D3, ids.D4, ids.Q1, ids.Q2].sort());
    expect(selectSample(row.seed, population, row.mode, row.value).map((p) => p.id)).toEqual(first.items.map((i: { id: string }) => i.id));
  });

  it('refuses to draw the same round again, records a new round, and never draws an item still on a worklist', async () => {
    const again = await draw('inspector', { mode: 'count', value: 5, round: 1 });
    expect([again.status, again.body.code, again.body.drawId]).toEqual([409, 'DUPLICATE', first.id]);
    const second = await draw('inspector', { mode: 'count', value: 1 });
    expect([second.status, second.body.round]).toEqual([201, 2]);
    // The first round's two items are not drawn again while they wait on the worklist.
    expect(second.body.populationSize).toBe(4);
    expect(second.body.items.some((i: { id: string }) => first.items.some((f: { id: string }) => f.id === i.id))).toBe(false);
    const list = await get('inspector', `/api/campaigns/${campaignId}/spot-check-draws`);
    expect(list.map((d: { round: number }) => d.round)).toEqual([2, 1]);
  });

  it('keeps draws in scope: out of coverage is 404, a township leader sees their township only', async () => {
    const outside = await draw('inspector', { mode: 'count', value: 1, round: 9, townshipIds: [t.demo.orgUnits.hekou.id] });
    expect([outside.status, outside.body.details[0].field]).toEqual([404, 'townshipIds']);
    expect((await draw('leader', { mode: 'count', value: 1 })).status).toBe(403);
    expect((await draw('county', { mode: 'percent', value: 101 })).status).toBe(400);
    await get('leader2', `/api/spot-check-draws/${first.id}`, 404);
    expect(await get('leader2', `/api/campaigns/${campaignId}/spot-check-draws`)).toEqual([]);
    expect((await get('leader', `/api/spot-check-draws/${first.id}`)).items).toHaveLength(2);
    // The county office draws across the county.
    const county = await draw('county', { mode: 'count', value: 1 });
    expect(county.status).toBe(201);
    expect(county.body.townships.map((x: { name: string }) => x.name)).toEqual(['城关镇', '河口镇', '周集镇']);
    expect(county.body.items.filter((i: { township: { name: string } }) => i.township.name === '河口镇')).toHaveLength(1);
    await get('inspector', `/api/spot-check-draws/${county.body.id}`);
    expect((await get('leader2', `/api/spot-check-draws/${county.body.id}`)).items.map((i: { township: { name: string } }) => i.township.name)).toEqual([
      '河口镇',
    ]);
  });

  it('makes the inspectors’ worklist; a spot check or a reopen marks the drawn item checked', async () => {
    const before = (await get('inspector', `/api/spot-checks/worklist?campaignId=${campaignId}`)) as Array<{ id: string; draw: { id: string } }>;
    const mine = first.items as Array<{ id: string; orgUnit: { name: string } }>;
    expect(before.filter((w) => w.draw.id === first.id).map((w) => w.id)).toEqual(mine.map((i) => i.id));
    expect(before.some((w) => [ids.H1, ids.H2].includes(w.id))).toBe(false);
    const datong = mine.find((i) => i.orgUnit.name === '大同村')!;
    const qilimiao = mine.find((i) => i.orgUnit.name === '七里庙村')!;
    await event('inspector', datong.id, { type: 'REOPEN', reason: '整改不到位', deadline: day(30) });
    await event('inspector', qilimiao.id, { type: 'SPOT_CHECK_PASS' });
    const after = (await get('inspector', `/api/spot-checks/worklist?campaignId=${campaignId}`)) as Array<{ id: string }>;
    expect(after.some((w) => w.id === datong.id || w.id === qilimiao.id)).toBe(false);
    const detail = await get('inspector', `/api/spot-check-draws/${first.id}`);
    expect(detail).toEqual(expect.objectContaining({ checked: 2, passed: 1, reopened: 1 }));
    expect(detail.items.find((i: { id: string }) => i.id === datong.id)).toEqual(
      expect.objectContaining({ check: 'reopened', state: 'rectifying', checkedBy: expect.objectContaining({ id: t.demo.userIds.inspector }) }),
    );
    ids.reopened = datong.id;
  });

  it('reports coverage per village as JSON and as .xlsx with number cells', async () => {
    const c = await get('county', `/api/campaigns/${campaignId}/spot-check-coverage`);
    const row = (name: string) => c.rows.find((r: { orgUnit: { name: string } }) => r.orgUnit.name === name);
    expect(row('大同村')).toEqual(expect.objectContaining({ closed: 4, checked: 1, passed: 0, reopened: 1 }));
    expect(row('七里庙村')).toEqual(expect.objectContaining({ closed: 2, checked: 1, passed: 1, reopened: 0 }));
    const drawnItems = (await get('county', `/api/campaigns/${campaignId}/spot-check-draws`)).flatMap(
      (d: { items: Array<{ id: string; orgUnit: { name: string } }> }) => d.items,
    );
    const drawnIn = (name: string) =>
      new Set(drawnItems.filter((i: { orgUnit: { name: string } }) => i.orgUnit.name === name).map((i: { id: string }) => i.id)).size;
    expect([row('大同村').drawn, row('七里庙村').drawn]).toEqual([drawnIn('大同村'), drawnIn('七里庙村')]);
    expect(c.townships.find((x: { township: { name: string } }) => x.township.name === '城关镇')).toEqual(
      expect.objectContaining({ villages: 2, villagesDrawn: 2, villagesChecked: 2 }),
    );
    expect(c.total.closed).toBe(8);
    // Townships by division code, villages by name in pinyin order, as the statistics list them.
    expect(c.rows.map((r: { orgUnit: { name: string } }) => r.orgUnit.name)).toEqual(['大同村', '七里庙村', '河口镇东岗村']);
    // The inspector and 河口镇's leader see their own townships only.
    expect((await get('leader2', `/api/campaigns/${campaignId}/spot-check-coverage`)).rows.map((r: { orgUnit: { name: string } }) => r.orgUnit.name)).toEqual([
      '河口镇东岗村',
    ]);
    expect(
      new Set((await get('inspector', `/api/campaigns/${campaignId}/spot-check-coverage`)).rows.map((r: { township: { name: string } }) => r.township.name)),
    ).toEqual(new Set(['城关镇']));
    const wb = readXlsx(await download('county', `/api/campaigns/${campaignId}/spot-check-coverage.xlsx`));
    const datong = wb['各村覆盖'].find((r) => r[1][1] === '大同村')!;
    expect(datong.slice(2)).toEqual([
      ['int', 4],
      ['int', row('大同村').drawn],
      ['int', 1],
      ['int', 0],
      ['int', 1],
    ]);
    const sampleRows = wb['抽查样本'].slice(2);
    expect(sampleRows.length).toBe(drawnItems.length);
    expect(sampleRows.every((r) => r[3][0] === 'date' && r[0][0] === 'int')).toBe(true);
    expect(sampleRows.find((r) => r[9][1] === '重新打开')![11]).toEqual(['date', chinaDate(clock.now())]);
  });

  it('counts a reopen against the rectifier and the acceptor, and overdue against those who signed before', async () => {
    const r = await get('county', `/api/campaigns/${campaignId}/accountability?from=${day(0)}`);
    const person = (username: string) => r.people.find((p: { signer: { id: string } }) => p.signer.id === t.demo.userIds[username]);
    const cadre = person('cadre');
    // cadre found D1–D4 and L, rectified D1–D4; one of the D's was reopened; L went overdue after cadre found it.
    expect(cadre.steps.investigation).toEqual({ signed: 5, reopened: 1, overdue: 1 });
    expect(cadre.steps.rectification).toEqual({ signed: 4, reopened: 1, overdue: 0 });
    const leader = person('leader');
    expect(leader.steps.acceptance).toEqual({ signed: 5, reopened: 1, overdue: 0 });
    expect(leader.steps.review).toEqual({ signed: 7, reopened: 1, overdue: 1 });
    expect(person('cadre2').steps.rectification).toEqual({ signed: 1, reopened: 0, overdue: 0 });
    expect(person('inspector').steps.inspection).toEqual({ signed: 2, reopened: 0, overdue: 0 });
    expect(person('leader2').steps.acceptance).toEqual({ signed: 2, reopened: 0, overdue: 0 });
    const chengguan = r.townships.find((x: { township: { name: string } }) => x.township.name === '城关镇');
    expect(chengguan).toEqual(expect.objectContaining({ reopened: 1, overdue: 1, reopens: 1, items: 7 }));
    // A period before anything was signed holds nobody; a township leader sees their own township's signers.
    expect((await get('county', `/api/campaigns/${campaignId}/accountability?from=${day(-5)}&to=${day(-1)}`)).people).toEqual([]);
    const hekou = await get('leader2', `/api/campaigns/${campaignId}/accountability`);
    expect(hekou.townships.map((x: { township: { name: string } }) => x.township.name)).toEqual(['河口镇']);
    expect(hekou.people.some((p: { signer: { id: string } }) => p.signer.id === t.demo.userIds.cadre)).toBe(false);
    const bad = await t.http.get(`/api/campaigns/${campaignId}/accountability?from=${day(5)}&to=${day(1)}`).set('authorization', await bearer(t, 'county'));
    expect([bad.status, bad.body.details[0].field]).toEqual([400, 'from']);

    const wb = readXlsx(await download('county', `/api/campaigns/${campaignId}/accountability.xlsx?from=${day(0)}`));
    const header = wb['按人员'][1].map((c) => c[1]);
    const cadreRow = wb['按人员'].find((row) => row[0][1] === '张伟（大同村）')!;
    expect(cadreRow[header.indexOf('整改签字')]).toEqual(['int', 4]);
    expect(cadreRow[header.indexOf('整改后重新打开')]).toEqual(['int', 1]);
    expect(wb['说明'][0][1]).toEqual(['date', day(0)]);
    expect(wb['按乡镇'].find((row) => row[0][1] === '城关镇')![header.indexOf('签字问题数') - 1]).toEqual(['int', 7]);
  });

  it('counts the reopen against the township in the ranking', async () => {
    const ranking = await get('county', `/api/campaigns/${campaignId}/ranking`);
    const entry = (name: string) => ranking.entries.find((e: { township: { name: string } }) => e.township.name === name);
    expect([entry('城关镇').reopened, entry('河口镇').reopened]).toEqual([1, 0]);
    const wb = readXlsx(await download('county', `/api/campaigns/${campaignId}/ranking.xlsx`));
    const header = wb['乡镇排名'][1].map((c) => c[1]);
    const row = wb['乡镇排名'].find((r) => r[1][1] === '城关镇')!;
    expect(row[header.indexOf('督查重新打开')]).toEqual(['int', 1]);
    expect(row[header.indexOf('截至日期')]).toEqual(['date', ranking.to]);
  });

  it('gives half-month and month series, exported with date cells', async () => {
    const half = await get('county', `/api/campaigns/${campaignId}/series?interval=half_month&from=2026-01-01&to=2026-02-20`);
    expect(half.points.map((p: { date: string }) => p.date)).toEqual(['2026-01-15', '2026-01-31', '2026-02-15', '2026-02-20']);
    const month = await get('county', `/api/campaigns/${campaignId}/series?interval=month&from=${day(0)}&to=${day(10)}`);
    expect(month.points.at(-1).date).toBe(day(10));
    expect(month.points.at(-1).figures.reopened).toBe(1);
    const bad = await t.http.get(`/api/campaigns/${campaignId}/series?interval=quarter`).set('authorization', await bearer(t, 'county'));
    expect([bad.status, bad.body.details[0].field]).toEqual([400, 'interval']);
    const wb = readXlsx(await download('county', `/api/campaigns/${campaignId}/series.xlsx?interval=half_month&from=${day(0)}&to=${day(10)}`));
    const rows = wb['半月进度'].slice(2);
    expect(rows.at(-1)![0]).toEqual(['date', day(10)]);
    expect(rows.every((r) => r[0][0] === 'date' && r[1][0] === 'int')).toBe(true);
  });

  it('npm run verify’s checks hold for untouched draws and catch a reseeded or edited sample', async () => {
    const query = (sql: string, p?: unknown[]) => t.app.get(DataSource).query(sql, p);
    const env = { DATABASE_URL: t.databaseUrl, CHAIN_KEY: TEST_CHAIN_KEY, CHAIN_KEY_ID: 'test-1', LOG_LEVEL: 'silent' };
    const clean = await verifyCommand([], env);
    expect([clean.ok, clean.lines[0]]).toEqual([true, expect.stringMatching(/ 3 spot-check draws recomputed from their seeds/)]);
    expect((await verifyDraws(query)).problems).toEqual([]);
    const chains = await verifyAllChains(query, t.app.get(ChainKeys));
    expect(chains.problems.filter((p) => p.subjectType === 'spot_check_draw')).toEqual([]);
    // The database itself refuses to change a draw.
    await expect(db.query(`UPDATE spot_check_draws SET seed = $2 WHERE id = $1`, [first.id, 'b'.repeat(64)])).rejects.toThrow(/immutable/);
    await expect(db.query(`DELETE FROM spot_check_draw_items WHERE draw_id = $1`, [first.id])).rejects.toThrow(/immutable/);
    // With the triggers bypassed, a new seed (even with a sample made to match it) no longer matches the signature.
    const [row] = (await db.query(`SELECT seed FROM spot_check_draws WHERE id = $1`, [first.id])).rows;
    await tamperWith(db, [`UPDATE spot_check_draws SET seed = $2 WHERE id = $1`, [first.id, 'c'.repeat(64)]]);
    expect((await verifyDraws(query)).problems).toEqual([
      expect.objectContaining({ subjectId: first.id, reason: 'draw_mismatch', detail: expect.stringContaining('seed') }),
    ]);
    const reseeded = await verifyCommand([], env);
    expect(reseeded.ok).toBe(false);
    expect(reseeded.lines).toContain(
      `BROKEN spot_check_draw ${first.id} (抽查第 1 轮：记录与签字不符（seed）) at link 1: 抽查记录与签字不符或无法按种子重现 [draw_mismatch]`,
    );
    await tamperWith(db, [`UPDATE spot_check_draws SET seed = $2 WHERE id = $1`, [first.id, row.seed]]);
    expect((await verifyDraws(query)).problems).toEqual([]);
    // An item quietly dropped from the sample.
    const [dropped] = first.items as Array<{ id: string }>;
    await tamperWith(db, [`DELETE FROM spot_check_draw_items WHERE draw_id = $1 AND item_id = $2`, [first.id, dropped.id]]);
    expect((await verifyDraws(query)).problems).toEqual([expect.objectContaining({ subjectId: first.id, detail: expect.stringContaining('itemIds') })]);
    await tamperWith(db, [`INSERT INTO spot_check_draw_items (draw_id, item_id, county_id) VALUES ($1, $2, $3)`, [first.id, dropped.id, t.demo.countyId]]);
    // The signature itself rewritten to a convenient sample without the key breaks its seal.
    await tamperWith(db, [`UPDATE signatures SET payload = jsonb_set(payload, '{itemIds}', '[]') WHERE subject_id = $1`, [first.id]]);
    const broken = await verifyAllChains(query, t.app.get(ChainKeys));
    expect(broken.problems).toEqual([expect.objectContaining({ subjectType: 'spot_check_draw', subjectId: first.id, reason: 'hash_mismatch' })]);
  });
});
