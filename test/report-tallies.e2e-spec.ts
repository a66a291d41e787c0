import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { AttachmentsService } from '../src/attachments/attachments.service';
import { toAuthUser } from '../src/auth/auth-user';
import { CampaignsService } from '../src/campaigns/campaigns.service';
import { seedDemoLedger } from '../src/demo/demo-ledger';
import { ItemWriteService } from '../src/items/item-write.service';
import { UsersService } from '../src/users/users.service';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../src/auth/auth-user';
import { Clock, DAY_MS } from '../src/common/clock';
import { dataSourceOptions } from '../src/database/data-source-options';
import { revertLastMigrationLocked, runMigrationsLocked } from '../src/database/migrations-runner';
import { ReportsService } from '../src/reports/reports.service';
import { rebuildTallies, verifyTallies } from '../src/reports/report-tally-rebuild';
import { UserDirectory } from '../src/users/user-directory';
import { MIGRATIONS } from '../migrations';
import { createTestApp, TestApp } from './app';
import { bearer, createDraft, rectificationCampaign, seededRandom, uploadPdf } from './factories';

/**
 * The report tallies (src/reports/report-tally.ts) against the replay of the
 * signatures they stand in for. A seeded random walk drives items of two
 * townships through every kind of event over twelve days (the clock moves),
 * through the API as each role may; then, for every day, the county's
 * statistics, the series at every interval and the ranking for every period
 * come out the same from the tallies as from the replay, and `npm run
 * verify`'s check finds every row and every item's stored status as the
 * replay has them. The migration that introduced the tallies rebuilds them
 * from records it finds.
 */

const SEED = 20261204;
const DAYS = 12;

describe('report tallies equal the replay of the signatures', () => {
  let t: TestApp;
  let clock: Clock;
  let reports: ReportsService;
  let county: AuthUser;
  let campaignId: string;
  let firstDay: string;
  let demoCampaignId: string;
  const taken = new Map<string, number>();
  // Seeded, so a failing walk can be replayed.
  const rnd = seededRandom(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

  /** Who may act on an item of each township (the investigator first, then the rest). */
  const actors = (investigator: string) => [
    ...new Set([investigator, investigator === 'cadre3' ? 'leader2' : 'leader', 'county', 'inspector', 'dept', 'cadre', 'cadre2', 'cadre3']),
  ];

  const payload = async (type: string, user: string, item: Record<string, any>, today: (n: number) => string): Promise<Record<string, unknown> | null> => {
    switch (type) {
      case 'CONFIRM':
        // A rectifier who is not the reviewer: the investigator of the item's village.
        return {
          type,
          measures: '整改措施',
          rectifierId: t.demo.userIds[item.investigator === 'cadre3' ? 'cadre3' : 'cadre'],
          deadline: today(1 + Math.floor(rnd() * 4)),
        };
      case 'RETURN':
      case 'DISMISS':
      case 'DENY_EXTENSION':
        return { type, reason: '核实' };
      case 'REJECT_RECTIFICATION':
        return { type, reason: '不达标', ...(rnd() < 0.5 ? { deadline: today(2 + Math.floor(rnd() * 3)) } : {}) };
      case 'REOPEN':
        return { type, reason: '督查发现未整改到位', ...(item.state === 'closed' ? { deadline: today(1 + Math.floor(rnd() * 3)) } : {}) };
      case 'SUBMIT_RECTIFICATION':
        return { type, comment: '已整改', evidence: [await uploadPdf(t, user)] };
      case 'REQUEST_EXTENSION':
        return { type, reason: '材料未到', newDeadline: today(5 + Math.floor(rnd() * 5)) };
      case 'ESCALATE':
        return { type, toOrgUnitId: t.demo.orgUnits.zhujian.id, reason: '无力解决' };
      case 'MARK_LONG_TERM':
        return { type, plan: '分年度实施' };
      case 'REPORT_PROGRESS':
        return { type, comment: '进展顺利' };
      case 'EDIT':
      case 'DISCARD':
        return null;
      default:
        return { type };
    }
  };

  /** One random step on one item: the first actor (in a random order) the item offers actions to takes one of them. */
  const step = async (item: Record<string, any>, today: (n: number) => string): Promise<void> => {
    const users = [...actors(item.investigator)].sort(() => rnd() - 0.5);
    for (const user of users) {
      const res = await t.http.get(`/api/items/${item.id}`).set('authorization', await bearer(t, user));
      if (res.status !== 200) continue;
      const types = (res.body.availableActions as string[]).filter((a) => a !== 'EDIT' && a !== 'DISCARD');
      if (types.length === 0) continue;
      // The walk moves forward more often than it withdraws (a withdrawal only sends an item round again).
      const forward = types.filter((a) => a !== 'WITHDRAW' && a !== 'REPORT_PROGRESS');
      const type = pick(forward.length && rnd() < 0.8 ? forward : types);
      // A returned item already found may have its problem type changed before it is submitted again.
      if (res.body.state === 'returned' && rnd() < 0.6) {
        const code = res.body.problemType.code === 'HQ-01' ? 'HQ-02' : 'HQ-01';
        const edit = await t.http
          .patch(`/api/items/${item.id}`)
          .set('authorization', await bearer(t, user))
          .send({ problemTypeCode: code });
        if (edit.status === 200) taken.set('EDIT problem type', (taken.get('EDIT problem type') ?? 0) + 1);
      }
      const body = await payload(type, user, { ...item, state: res.body.state }, today);
      if (!body) continue;
      const done = await t.http
        .post(`/api/items/${item.id}/events`)
        .set('authorization', await bearer(t, user))
        .send(body);
      if (done.status === 200) {
        taken.set(type, (taken.get(type) ?? 0) + 1);
        item.state = done.body.state;
        return;
      }
      // A choice the walk cannot know is refused (a rectifier outside the unit, say): never a server error.
      expect(done.status).toBeLessThan(500);
    }
  };

  beforeAll(async () => {
    t = await createTestApp({ SESSION_IDLE_MINUTES: String(30 * 24 * 60), SESSION_MAX_HOURS: String(30 * 24) });
    clock = t.app.get(Clock);
    reports = t.app.get(ReportsService);
    county = (await t.app.get(UserDirectory).activeUser(t.demo.userIds.county))!;
    // The demo county's ledger: its three weeks of history written through the services.
    const users = t.app.get(UsersService);
    await seedDemoLedger(t.demo, {
      campaigns: t.app.get(CampaignsService),
      items: t.app.get(ItemWriteService),
      attachments: t.app.get(AttachmentsService),
      clock,
      user: async (username) => toAuthUser((await users.findActiveByUsername(username))!),
    });
    demoCampaignId = ((await t.http.get('/api/campaigns').set('authorization', await bearer(t, 'county'))).body as Array<{ id: string }>)[0].id;
    clock.travel(-DAYS * DAY_MS);
    firstDay = clock.today();
    campaignId = await rectificationCampaign(t, '汇总对账');
    const items: Array<Record<string, any>> = [];
    const places = [
      ['cadre', t.demo.orgUnits.datong.id],
      ['cadre3', t.demo.orgUnits.hekou_a.id],
    ] as const;
    // A township's ledger imported and submitted at once (the set-based path of the engine).
    const imported = await t.http
      .post(`/api/campaigns/${campaignId}/ledger?submit=true`)
      .set('authorization', await bearer(t, 'towncadre'))
      .attach('file', readFileSync(resolve(__dirname, 'fixtures/ledgers/01-template.xlsx')), '台账.xlsx');
    expect(imported.status).toBe(200);
    const page = await t.http.get(`/api/items?campaignId=${campaignId}&limit=200`).set('authorization', await bearer(t, 'county'));
    for (const i of page.body.items as Array<Record<string, any>>) items.push({ id: i.id, investigator: 'towncadre', state: i.state });
    expect(items.length).toBeGreaterThan(2);
    for (let day = 0; day < DAYS; day++) {
      const today = (n: number) => new Date(Date.parse(`${clock.today()}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
      // New findings on the first days, then work on what is there.
      for (let k = 0; k < (day < 4 ? 5 : 1); k++) {
        const [investigator, orgUnitId] = pick(places);
        const draft = await createDraft(
          t,
          campaignId,
          { orgUnitId, problemTypeCode: pick(['HQ-01', 'HQ-02', 'HQ-03']), description: `第${day}天${k}` },
          investigator,
        );
        items.push({ id: draft.id, investigator, state: draft.state });
      }
      for (let k = 0; k < 18; k++) await step(pick(items), today);
      clock.travel(DAY_MS);
    }
    clock.reset();
  }, 600_000);
  afterAll(() => t.close());

  it('the walk went through every kind of change the figures count', () => {
    for (const type of [
      'SUBMIT',
      'CONFIRM',
      'WITHDRAW',
      'RETURN',
      'DISMISS',
      'SUBMIT_RECTIFICATION',
      'ACCEPT',
      'REJECT_RECTIFICATION',
      'REQUEST_EXTENSION',
      'APPROVE_EXTENSION',
      'SPOT_CHECK_PASS',
      'REOPEN',
      'EDIT problem type',
    ]) {
      // The type rides along, so a failure names it.
      expect({ type, taken: (taken.get(type) ?? 0) > 0 }).toEqual({ type, taken: true });
    }
  });

  const days = (): string[] => {
    const out: string[] = [];
    for (let t0 = Date.parse(`${firstDay}T00:00:00Z`); t0 <= Date.parse(`${clock.today()}T00:00:00Z`); t0 += DAY_MS)
      out.push(new Date(t0).toISOString().slice(0, 10));
    return out;
  };

  it('statistics of every day, by township and problem type', async () => {
    const all = days();
    for (const day of all) {
      clock.travel(Date.parse(`${day}T12:00:00+08:00`) - Date.now());
      const fromTallies = await reports.stats(county, campaignId, {}, 'tallies');
      const replayed = await reports.stats(county, campaignId, {}, 'replay');
      clock.reset();
      expect({ day: [day], ...fromTallies }).toEqual({ day: [day], ...replayed });
    }
    // The county's own call reads the tallies, and something was counted.
    const last = await reports.stats(county, campaignId, {});
    expect(last.total.found).toBeGreaterThan(20);
    expect(last.total.closed + last.total.overdue).toBeGreaterThan(0);
  });

  it('the series at every interval', async () => {
    for (const interval of ['day', 'week', 'half_month', 'month'] as const) {
      const q = { interval, from: firstDay };
      expect(await reports.series(county, campaignId, q, 'tallies')).toEqual(await reports.series(county, campaignId, q, 'replay'));
    }
  });

  it('the ranking of every period', async () => {
    const all = days();
    for (const to of all) {
      for (const from of [undefined, ...all.filter((d) => d <= to)]) {
        const q = { from, to };
        // The period rides along, so a failure names it.
        expect({ period: q, ...(await reports.ranking(county, campaignId, q, 'tallies')) }).toEqual({
          period: q,
          ...(await reports.ranking(county, campaignId, q, 'replay')),
        });
      }
    }
  });

  it('the demo ledger too (its history was written through the services)', async () => {
    const demo = demoCampaignId;
    expect(await reports.stats(county, demo, {}, 'tallies')).toEqual(await reports.stats(county, demo, {}, 'replay'));
    expect(await reports.series(county, demo, {}, 'tallies')).toEqual(await reports.series(county, demo, {}, 'replay'));
    expect(await reports.ranking(county, demo, {}, 'tallies')).toEqual(await reports.ranking(county, demo, {}, 'replay'));
  });

  describe('checked and rebuilt from the signatures', () => {
    let db: Client;
    const query = (sql: string, params?: unknown[]) => db.query(sql, params as unknown[]).then((r) => r.rows as unknown[]);
    beforeAll(async () => {
      db = new Client({ connectionString: t.databaseUrl });
      await db.connect();
    });
    afterAll(() => db.end());

    it('every row and every stored status is what the replay gives', async () => {
      const checked = await verifyTallies(query);
      expect(checked.campaigns).toBeGreaterThanOrEqual(2);
      expect(checked.problems).toEqual([]);
    });

    it('finds a row changed behind the service’s back, and a stored status', async () => {
      const [row] = (await query(`SELECT group_id, day, problem_type_code FROM report_tallies WHERE campaign_id = $1 LIMIT 1`, [campaignId])) as Array<
        Record<string, unknown>
      >;
      const where = `campaign_id = $1 AND group_id = $2 AND day = $3 AND problem_type_code = $4`;
      const key = [campaignId, row.group_id, row.day, row.problem_type_code];
      await query(`UPDATE report_tallies SET found = found + 1 WHERE ${where}`, key);
      const [item] = (await query(`SELECT id FROM problem_items WHERE campaign_id = $1 AND report_status IS NOT NULL LIMIT 1`, [campaignId])) as Array<{
        id: string;
      }>;
      await query(`UPDATE problem_items SET report_status = report_status || '{"reopened": true, "state": "closed"}' WHERE id = $1`, [item.id]);
      const checked = await verifyTallies(query);
      expect(checked.problems.map((p) => p.subject.split(' ')[0]).sort()).toEqual(['item', 'tally']);
      expect(checked.problems.find((p) => p.subject === `item ${item.id}`)).toBeDefined();
      // Rebuilt from the signatures, everything holds again.
      await rebuildTallies(query);
      expect((await verifyTallies(query)).problems).toEqual([]);
    });

    it('the migration that brought the tallies fills them from the records it finds', async () => {
      const before = await query(`SELECT * FROM report_tallies ORDER BY campaign_id, group_id, problem_type_code, day`);
      expect(before.length).toBeGreaterThan(10);
      const ds = new DataSource(dataSourceOptions(t.databaseUrl, 2));
      await ds.initialize();
      try {
        // Back to before ReportTallies (the migrations after it reverted first), then up again.
        const at = MIGRATIONS.findIndex((m) => m.name === 'ReportTallies1763960000000');
        expect(at).toBeGreaterThan(0);
        for (let k = MIGRATIONS.length; k > at; k--) await revertLastMigrationLocked(ds);
        expect(await query(`SELECT to_regclass('report_tallies') AS t`)).toEqual([{ t: null }]);
        await runMigrationsLocked(ds);
      } finally {
        await ds.destroy();
      }
      expect(await query(`SELECT * FROM report_tallies ORDER BY campaign_id, group_id, problem_type_code, day`)).toEqual(before);
      expect((await verifyTallies(query)).problems).toEqual([]);
      // And the service counts on from them.
      const s = await t.http.get(`/api/campaigns/${campaignId}/stats`).set('authorization', await bearer(t, 'county'));
      expect(s.status).toBe(200);
      expect(s.body.total).toEqual((await reports.stats(county, campaignId, {}, 'replay')).total);
    });
  });
});
