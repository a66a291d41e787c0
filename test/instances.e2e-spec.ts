import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { ConfigError, loadConfig } from '../src/config/app-config';
import { runExclusive } from '../src/database/exclusive-job';
import { RunningDatabase } from '../src/database/embedded-postgres';
import { ANCHOR_JOB, SignaturesModule } from '../src/signatures/signatures.module';
import { SessionRegistry } from '../src/auth/session-registry';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './app';
import { asServiceRole, createTestDatabase, serverUrl } from './db';
import { bearer, chinaDay, createDraft, verifyItemChain } from './factories';

/**
 * Several instances of the service on one PostgreSQL: two Nest apps in this
 * process, each with its own pools and in-process caches, as two processes
 * behind a load balancer would be; the same sign-off load goes through both.
 *
 * One thing they do share here and would not in two processes: passport keeps
 * its strategies in a process-wide registry, so the bearer token of a request
 * to either app is checked by the JwtStrategy registered last (b's). Session
 * checks across instances are therefore made on each app's SessionRegistry
 * directly; the routes, their pools, idempotency and the workflow engine that
 * the sign-off load races through are each app's own.
 */
describe('several instances', () => {
  it('production refuses to start without the keys every instance must share', () => {
    const external = { DATABASE_URL: 'postgres://u@db/q', NODE_ENV: 'production' };
    let error: unknown;
    try {
      loadConfig(external);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    for (const key of ['JWT_SECRET', 'CHAIN_KEY', 'ID_ENCRYPTION_KEY', 'ID_INDEX_KEY']) expect(String(error)).toContain(`${key} is required in production`);
  });

  // Embedded PGlite is one database in one process: two instances cannot share it.
  if (serverUrl)
    describe('two instances on one database', () => {
      let db: RunningDatabase;
      let a: TestApp;
      let b: TestApp;
      let campaignId: string;
      const SAME_DB = { stop: async () => undefined };

      beforeAll(async () => {
        db = await createTestDatabase();
        const serviceUrl = asServiceRole(db.url);
        a = await createTestApp({}, { db: { ...SAME_DB, url: db.url }, serviceUrl });
        b = await createTestApp({}, { db: { ...SAME_DB, url: db.url }, serviceUrl, demo: a.demo });
        // The campaign through one instance, advanced through the other.
        const county = await bearer(a, 'county');
        const camp = await a.http
          .post('/api/campaigns')
          .set('authorization', county)
          .send({ preset: 'huoqiu', title: '两实例', docNumber: '霍扶组〔2021〕9号' });
        expect(camp.status).toBe(201);
        campaignId = camp.body.id;
        for (let i = 0; i < 3; i++) expect((await b.http.post(`/api/campaigns/${campaignId}/advance`).set('authorization', county).send({})).status).toBe(200);
      });
      afterAll(async () => {
        await b?.close();
        await a?.close();
        await db?.stop();
      });

      const event = async (t: TestApp, token: string, id: string, body: object, key: string): Promise<Response> =>
        t.http.post(`/api/items/${id}/events`).set('authorization', token).set('Idempotency-Key', key).send(body);

      async function signatureKinds(id: string): Promise<string[]> {
        const client = new Client({ connectionString: db.url });
        await client.connect();
        try {
          return (await client.query(`SELECT event_type FROM signatures WHERE subject_id = $1 ORDER BY seq`, [id])).rows.map((r) => r.event_type as string);
        } finally {
          await client.end();
        }
      }

      it('the two instances have pools of their own', () => {
        const [da, db2] = [a.app.get(DataSource), b.app.get(DataSource)];
        expect(da).not.toBe(db2);
        const sessionsOf = (t: TestApp) =>
          (t.app.get(SessionRegistry) as unknown as { sessions: { manager: { connection: DataSource } } }).sessions.manager.connection;
        expect([sessionsOf(a) === da, sessionsOf(b) === db2]).toEqual([true, true]);
      });

      it('a session ended through one instance is ended for the other: its state is in the database', async () => {
        const login = await a.http.post('/api/auth/login').send({ username: 'cadre2', password: 'Demo@2021' });
        expect(login.status).toBe(200);
        const { sid, sub } = JSON.parse(Buffer.from(String(login.body.accessToken).split('.')[1], 'base64url').toString()) as { sid: string; sub: string };
        const [registryA, registryB] = [a.app.get(SessionRegistry), b.app.get(SessionRegistry)];
        expect([await registryA.isLive(sid, sub), await registryB.isLive(sid, sub)]).toEqual([true, true]);
        expect((await b.http.post('/api/auth/logout').send({ refreshToken: login.body.refreshToken })).status).toBe(204);
        expect(await registryB.isLive(sid, sub)).toBe(false);
        // A has the live state cached and may answer from it for up to 5 s (FRESH_MS; no timed assertion here): once
        // that lapses it reads the row, which says the session ended.
        registryA.forget(sid);
        expect(await registryA.isLive(sid, sub)).toBe(false);
      });

      it('the same sign-off load through both: one effect per Idempotency-Key, the same answer from both, no double signature, no lost update', async () => {
        const cadre = await bearer(a, 'cadre');
        const leader = await bearer(b, 'leader');
        const rectifierId = a.demo.userIds.cadre2;
        const ids: string[] = [];
        for (let i = 0; i < 12; i++) ids.push((await createDraft(i % 2 ? b : a, campaignId, { description: `两实例问题${i}` })).id as string);

        await Promise.all(
          ids.map(async (id) => {
            // 排查签字: the same request under the same key to both instances at once.
            const key = randomUUID();
            const [viaA, viaB] = await Promise.all([event(a, cadre, id, { type: 'SUBMIT' }, key), event(b, cadre, id, { type: 'SUBMIT' }, key)]);
            expect([viaA.status, viaB.status]).toEqual([200, 200]);
            expect(viaB.body).toEqual(viaA.body);

            // 审核: two different decisions on the two instances at once; exactly one is taken.
            const confirmKey = randomUUID();
            const returnKey = randomUUID();
            const confirm = { type: 'CONFIRM', measures: '维修屋顶', rectifierId, deadline: chinaDay(10) };
            const ret = { type: 'RETURN', reason: '请补充户主信息' };
            const [c, r] = await Promise.all([event(a, leader, id, confirm, confirmKey), event(b, leader, id, ret, returnKey)]);
            expect([c.status, r.status].sort()).toEqual([200, 409]);
            const winner = c.status === 200 ? c : r;

            // Either key asked again, of the other instance: the first answer again, and nothing more happens.
            const [c2, r2] = await Promise.all([event(b, leader, id, confirm, confirmKey), event(a, leader, id, ret, returnKey)]);
            expect([c2.status, r2.status]).toEqual([c.status, r.status]);
            expect((c.status === 200 ? c2 : r2).body).toEqual(winner.body);

            const kinds = await signatureKinds(id);
            expect(kinds).toEqual(['SUBMIT', c.status === 200 ? 'CONFIRM' : 'RETURN']);
            const now = await a.http.get(`/api/items/${id}`).set('authorization', await bearer(a, 'county'));
            expect(now.body.state).toBe(winner.body.state);
            expect(now.body.version).toBe(winner.body.version);
          }),
        );
        for (const id of ids) expect((await verifyItemChain(b, id)).valid).toBe(true);
      });

      it('a scheduled job runs in one instance at a time', async () => {
        // A holds the anchors-and-purge lock (as while its hourly round runs): B's round skips; once A is done, B's runs.
        let release!: () => void;
        const held = new Promise<void>((r) => (release = r));
        let entered!: () => void;
        const inside = new Promise<void>((r) => (entered = r));
        const aRound = runExclusive(a.app.get(DataSource), ANCHOR_JOB, async () => {
          entered();
          await held;
          return 'a';
        });
        await inside;
        expect(await b.app.get(SignaturesModule).anchor()).toBe(false);
        release();
        expect(await aRound).toBe('a');
        expect(await b.app.get(SignaturesModule).anchor()).toBe(true);
      });
    });
});
