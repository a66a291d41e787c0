import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AddressInfo, connect, createServer, Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { loadConfig } from '../src/config/app-config';
import { STANDBY_APPLICATION_NAME } from '../src/database/data-source-options';
import { LSN_COOKIE, LSN_HEADER, lsnValue } from '../src/database/standby-reads';
import { SERVICE_ROLE } from '../migrations/1763880000000-DatabaseRoles';
import { createTestApp, TestApp, TEST_ENV } from './app';
import { asServiceRole, migrate, TEST_SERVICE_ROLE, withDatabase } from './db';
import { bearer, createDraft, itemEvent, rectificationCampaign, binaryBody } from './factories';

/**
 * Reads from a streaming standby, on the two clusters bench/replica-up.sh
 * makes (.ci/run starts them and exports these; locally run the script and
 * export its output). In CI their absence fails this file rather than
 * leaving the standby untested.
 */
const PRIMARY = process.env.QINGLING_PRIMARY_URL;
const STANDBY = process.env.QINGLING_STANDBY_URL;
const RIG_DIR = process.env.QINGLING_REPLICA_DIR;
const rig = PRIMARY && STANDBY && RIG_DIR ? { primary: PRIMARY, standby: STANDBY, dir: RIG_DIR } : undefined;
if (!rig && (process.env.CI || process.env.QINGLING_REQUIRE_REPLICA))
  throw new Error('QINGLING_PRIMARY_URL, QINGLING_STANDBY_URL and QINGLING_REPLICA_DIR are unset: .ci/run starts the clusters with bench/replica-up.sh');

async function query<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('configuration of standbys', () => {
  it('refuses DATABASE_REPLICA_URLS that are not postgres URLs, or with no DATABASE_URL to be standbys of', () => {
    const base = { ...TEST_ENV, DATABASE_URL: 'postgres://u@db/q' };
    expect(loadConfig({ ...base, DATABASE_REPLICA_URLS: ' postgres://u@r1/q , postgresql://u@r2/q' }).replicaUrls).toEqual([
      'postgres://u@r1/q',
      'postgresql://u@r2/q',
    ]);
    expect(() => loadConfig({ ...base, DATABASE_REPLICA_URLS: 'postgres://u@r1/q,mysql://r2' })).toThrow(/DATABASE_REPLICA_URLS/);
    expect(() => loadConfig({ ...TEST_ENV, DATABASE_REPLICA_URLS: 'postgres://u@r1/q' })).toThrow(/DATABASE_REPLICA_URLS needs DATABASE_URL/);
    expect(loadConfig(base).replicaUrls).toEqual([]);
  });
});

describe('a single database (no standby configured)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers writes without a WAL position and reads lists and reports from the one database', async () => {
    const campaignId = await rectificationCampaign(t);
    const created = await t.http
      .post('/api/items')
      .set('authorization', await bearer(t, 'cadre'))
      .send({ campaignId, orgUnitId: t.demo.orgUnits.datong.id, problemTypeCode: 'HQ-01', description: '单库读写' });
    expect(created.status).toBe(201);
    expect(created.headers[LSN_HEADER]).toBeUndefined();
    expect(String(created.headers['set-cookie'] ?? '')).not.toContain(LSN_COOKIE);
    await itemEvent(t, 'cadre', created.body.id, { type: 'SUBMIT' });
    const list = await t.http.get(`/api/items?campaignId=${campaignId}`).set('authorization', await bearer(t, 'county'));
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(created.body.id);
    const stats = await t.http.get(`/api/campaigns/${campaignId}/stats`).set('authorization', await bearer(t, 'county'));
    expect(stats.body.total.found).toBe(1);
  });
});

describe('a standby that is down when the service starts', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A port nothing listens on: connection refused, as from a standby that is not up yet.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = srv.address() as AddressInfo;
        srv.close(() => resolve(p));
      });
    });
    t = await createTestApp({ DATABASE_REPLICA_URLS: `postgres://nobody@127.0.0.1:${port}/qingling`, REPLICA_RETRY_SECONDS: '1' });
  });
  afterAll(() => t.close());

  it('does not keep the service from starting, and its reads come from the primary', async () => {
    const campaignId = await rectificationCampaign(t);
    const item = await createDraft(t, campaignId, { description: '备库未启动' });
    await itemEvent(t, 'cadre', item.id, { type: 'SUBMIT' });
    const auth = await bearer(t, 'county');
    const list = await t.http.get(`/api/items?campaignId=${campaignId}`).set('authorization', auth);
    expect([list.status, list.body.items.map((i: { id: string }) => i.id)]).toEqual([200, [item.id]]);
    const stats = await t.http.get(`/api/campaigns/${campaignId}/stats`).set('authorization', auth);
    expect([stats.status, stats.body.total.found]).toEqual([200, 1]);
  });
});

if (rig) {
  describe('reads from a streaming standby', () => {
    const name = `qingling_r${randomBytes(4).toString('hex')}`;
    const primaryDb = withDatabase(rig.primary, name);
    const standbyDb = withDatabase(rig.standby, name);
    let t: TestApp;
    let campaignId: string;

    /** Until the standby has replayed the primary's WAL up to `lsn` (the primary's position now when not given). */
    async function replayed(lsn?: string): Promise<void> {
      const target = lsn ?? (await query<{ lsn: string }>(rig!.primary, 'SELECT pg_current_wal_lsn()::text AS lsn'))[0].lsn;
      for (;;) {
        const [row] = await query<{ ok: boolean }>(rig!.standby, 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [target]);
        if (row.ok) return;
        await sleep(20);
      }
    }
    async function pauseReplay(): Promise<void> {
      await query(rig!.standby, 'SELECT pg_wal_replay_pause()');
      while ((await query<{ s: string }>(rig!.standby, 'SELECT pg_get_wal_replay_pause_state() AS s'))[0].s !== 'paused') await sleep(20);
    }
    const resumeReplay = () => query(rig!.standby, 'SELECT pg_wal_replay_resume()');
    /** pg_ctl as the clusters' owner, as bench/replica-up.sh runs it. */
    function pgCtl(...args: string[]): void {
      const cmd = ['/usr/lib/postgresql/15/bin/pg_ctl', '-D', path.join(rig!.dir, 'standby'), ...args];
      if (userInfo().username === 'postgres') execFileSync(cmd[0], cmd.slice(1), { stdio: 'ignore' });
      else execFileSync('runuser', ['-u', 'postgres', '--', ...cmd], { stdio: 'ignore' });
    }
    const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((i) => i.id);
    /** The county office's list and figures, as a client that has written nothing (no WAL position to wait for). */
    async function countyView(): Promise<{ ids: string[]; found: number }> {
      const auth = await bearer(t, 'county');
      const list = await t.http.get(`/api/items?campaignId=${campaignId}&limit=200`).set('authorization', auth);
      const stats = await t.http.get(`/api/campaigns/${campaignId}/stats`).set('authorization', auth);
      expect([list.status, stats.status]).toEqual([200, 200]);
      return { ids: ids(list), found: stats.body.total.found };
    }
    /** Every text cell of the county office's ledger export, read back by Debian's python3-openpyxl. */
    async function ledgerTexts(): Promise<string[]> {
      const res = await t.http
        .get(`/api/campaigns/${campaignId}/ledger.xlsx`)
        .set('authorization', await bearer(t, 'county'))
        .buffer(true)
        .parse(binaryBody);
      expect(res.status).toBe(200);
      const dir = mkdtempSync(path.join(tmpdir(), 'standby-ledger-'));
      try {
        const file = path.join(dir, 'ledger.xlsx');
        writeFileSync(file, res.body as Buffer);
        const script = [
          'import json, sys, openpyxl',
          'ws = openpyxl.load_workbook(sys.argv[1]).active',
          'print(json.dumps([c for r in ws.iter_rows(values_only=True) for c in r if isinstance(c, str)], ensure_ascii=False))',
        ].join('\n');
        const { stdout } = await promisify(execFile)('/usr/bin/python3', ['-c', script, file]);
        return JSON.parse(stdout) as string[];
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    /** A submitted item by the village cadre; answers its id and the WAL position its last write answered with. */
    async function submitted(description: string): Promise<{ id: string; lsn: string }> {
      const item = await createDraft(t, campaignId, { description });
      const res = await t.http
        .post(`/api/items/${item.id}/events`)
        .set('authorization', await bearer(t, 'cadre'))
        .send({ type: 'SUBMIT' });
      expect(res.status).toBe(200);
      return { id: item.id as string, lsn: res.headers[LSN_HEADER] as string };
    }

    beforeAll(async () => {
      await query(rig.primary, `CREATE DATABASE "${name}"`);
      await migrate(primaryDb);
      await query(
        primaryDb,
        `DO $$ BEGIN CREATE ROLE ${TEST_SERVICE_ROLE} LOGIN IN ROLE ${SERVICE_ROLE}; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`,
      );
      await replayed();
      t = await createTestApp(
        { DATABASE_REPLICA_URLS: asServiceRole(standbyDb), REPLICA_RETRY_SECONDS: '1' },
        {
          db: { url: primaryDb, stop: () => query(rig.primary, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => undefined) },
          serviceUrl: asServiceRole(primaryDb),
        },
      );
      campaignId = await rectificationCampaign(t);
    });
    afterAll(async () => {
      await resumeReplay().catch(() => undefined);
      await t?.close();
    });

    it("a write through the service reaches the standby, and its answer carries the primary's WAL position after it", async () => {
      const res = await t.http
        .post('/api/items')
        .set('authorization', await bearer(t, 'cadre'))
        .send({ campaignId, orgUnitId: t.demo.orgUnits.datong.id, problemTypeCode: 'HQ-01', description: '主库写入' });
      expect(res.status).toBe(201);
      const lsn = res.headers[LSN_HEADER] as string;
      expect(lsnValue(lsn)).toBeDefined();
      expect(String(res.headers['set-cookie'])).toContain(`${LSN_COOKIE}=${encodeURIComponent(lsn)}`);
      await replayed(lsn);
      const rows = await query<{ description: string }>(standbyDb, 'SELECT description FROM problem_items WHERE id = $1', [res.body.id]);
      expect(rows).toEqual([{ description: '主库写入' }]);
    });

    it("lists, reports and the ledger export answer from the standby; the writer's own next reads see the write", async () => {
      await replayed();
      const before = await countyView();
      await pauseReplay();
      try {
        const x = await submitted('回放暂停时报送');
        // The county office has written nothing: its list and figures come from the paused standby.
        const paused = await countyView();
        expect(paused.ids).not.toContain(x.id);
        expect(paused.found).toBe(before.found);
        // The ledger export too.
        expect(await ledgerTexts()).not.toContain('回放暂停时报送');
        // ... through the service's standby pool.
        const pool = await query<{ n: number }>(rig.standby, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = $2', [
          STANDBY_APPLICATION_NAME,
          name,
        ]);
        expect(pool[0].n).toBeGreaterThan(0);
        // An item page is not a list: it reads from the primary (the paused standby has no such item: it would be a 404).
        const page = await t.http.get(`/api/items/${x.id}`).set('authorization', await bearer(t, 'county'));
        expect([page.status, page.body.id]).toEqual([200, x.id]);
        // The cadre's own reads, carrying the WAL position of the submit (header, or the console's cookie), see it.
        const cadre = await bearer(t, 'cadre');
        const own = await t.http.get(`/api/items?campaignId=${campaignId}&limit=200`).set('authorization', cadre).set(LSN_HEADER, x.lsn);
        expect(ids(own)).toContain(x.id);
        const byCookie = await t.http
          .get(`/api/items?campaignId=${campaignId}&limit=200`)
          .set('authorization', cadre)
          .set('cookie', `${LSN_COOKIE}=${encodeURIComponent(x.lsn)}`);
        expect(ids(byCookie)).toContain(x.id);
        const ownStats = await t.http
          .get(`/api/campaigns/${campaignId}/stats`)
          .set('authorization', await bearer(t, 'county'))
          .set(LSN_HEADER, x.lsn);
        expect(ownStats.body.total.found).toBe(before.found + 1);
        // A position that is not one is ignored, not an error.
        const forged = await t.http.get(`/api/items?campaignId=${campaignId}&limit=200`).set('authorization', cadre).set(LSN_HEADER, "0/0'; SELECT 1");
        expect(forged.status).toBe(200);
        expect(ids(forged)).not.toContain(x.id);

        await resumeReplay();
        await replayed(x.lsn);
        const after = await countyView();
        expect(after.ids).toContain(x.id);
        expect(after.found).toBe(before.found + 1);
        expect(await ledgerTexts()).toContain('回放暂停时报送');
      } finally {
        await resumeReplay();
      }
    });

    it('a standby that goes away: reads fall back to the primary, and return to the standby once it is back', async () => {
      pgCtl('-m', 'immediate', 'stop');
      try {
        const y = await submitted('备库宕机时报送');
        const down = await countyView();
        expect(down.ids).toContain(y.id);
        expect(await ledgerTexts()).toContain('备库宕机时报送');
        const inbox = await t.http.get('/api/inbox').set('authorization', await bearer(t, 'leader'));
        expect(inbox.status).toBe(200);
        expect(ids({ body: { items: inbox.body } })).toContain(y.id);
      } finally {
        pgCtl('-w', '-l', path.join(rig.dir, 'standby.log'), 'start');
      }
      await replayed();
      await pauseReplay();
      try {
        const z = await submitted('备库恢复后报送');
        // The standby is tried again REPLICA_RETRY_SECONDS after it failed; until then the primary answers (and shows z).
        let view = await countyView();
        while (view.ids.includes(z.id)) {
          await sleep(200);
          view = await countyView();
        }
        expect(view.ids).not.toContain(z.id);
      } finally {
        await resumeReplay();
      }
    });

    it('a standby lost in the middle of a request: the request is answered again from the primary', async () => {
      // Last in this file: passport keeps its strategies in a process-wide registry, so once a second app has started
      // here, bearer tokens sent to `t` are checked by the second app's JwtStrategy, which fails once that app is closed
      // (two processes share nothing of the kind). Nothing runs on `t` after this.
      // A second instance reaches the standby through this proxy, which cuts a connection at the first query after the
      // standby check (pg_last_wal_replay_lsn) once armed: the standby is gone between the check and the read.
      let armed = false;
      const sockets = new Set<Socket>();
      const proxy = createServer((client) => {
        const server = connect(Number(new URL(rig.standby).port), '127.0.0.1');
        sockets.add(client).add(server);
        // Whether the last query on this connection was the standby check: the next one is the request's read.
        let checked = false;
        client.on('data', (chunk: Buffer) => {
          const check = chunk.includes('pg_last_wal_replay_lsn');
          if (armed && checked && !check) {
            armed = false;
            client.destroy();
            server.destroy();
            return;
          }
          checked = check;
          server.write(chunk);
        });
        server.on('data', (chunk: Buffer) => client.write(chunk));
        for (const [a, b] of [
          [client, server],
          [server, client],
        ])
          a.on('close', () => b.destroy()).on('error', () => b.destroy());
      });
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
      const via = new URL(asServiceRole(standbyDb));
      via.port = String((proxy.address() as AddressInfo).port);
      const second = await createTestApp(
        { DATABASE_REPLICA_URLS: via.toString(), REPLICA_RETRY_SECONDS: '1' },
        { db: { url: primaryDb, stop: async () => undefined }, serviceUrl: asServiceRole(primaryDb), demo: t.demo },
      );
      try {
        await replayed();
        await pauseReplay();
        const x = await submitted('请求中途备库断开');
        const auth = `Bearer ${await second.token('county')}`;
        // Unarmed: the paused standby answers through the proxy (no x).
        const before = await second.http.get(`/api/items?campaignId=${campaignId}&limit=200`).set('authorization', auth);
        expect([before.status, ids(before).includes(x.id)]).toEqual([200, false]);
        armed = true;
        const cut = await second.http.get(`/api/items?campaignId=${campaignId}&limit=200`).set('authorization', auth);
        expect(armed).toBe(false); // the proxy did cut the read
        expect([cut.status, ids(cut).includes(x.id)]).toEqual([200, true]); // answered by the primary
      } finally {
        await resumeReplay();
        await second.app.close();
        for (const sock of sockets) sock.destroy();
        await new Promise((r) => proxy.close(r));
      }
    });
  });
}
