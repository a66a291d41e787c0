import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer, connect, type NetConnectOpts, type Server, type Socket } from 'node:net';
import { Client } from 'pg';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { loadConfig } from '../src/config/app-config';
import { DEMO_PASSWORD, DemoCounty, DemoSeedService } from '../src/demo/demo-seed.service';
import { TEST_ENV } from './app';
import { adminQuery, createTestDatabase, serverUrl } from './db';

/**
 * A TCP hop between the service and its database that can be cut and
 * restored: the service sees what it sees when the database restarts or the
 * network drops (pooled connections reset, new ones refused).
 */
class CuttableLink {
  private server: Server = createServer((s) => this.join(s));
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: NetConnectOpts) {}

  private join(client: Socket): void {
    const upstream = connect(this.target);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('error', () => undefined).on('close', () => this.sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  }

  async open(): Promise<void> {
    if (this.server.listening) return;
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** New connections are refused and every open one is reset. */
  async cut(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    for (const s of this.sockets) s.destroy();
    await closed;
    this.server = createServer((s) => this.join(s));
  }
}

/** Where `url` points (a server's host and port, or embedded PGlite's Unix socket), and the same database through 127.0.0.1:`port`. */
function hop(url: string): { target: NetConnectOpts; via: (port: number) => string } {
  // Embedded PGlite: postgres://postgres@/postgres?host=<socket directory> (no host, which URL cannot parse).
  const socketDir = /^postgres:\/\/postgres@\/postgres\?host=(.+)$/.exec(url)?.[1];
  if (socketDir) return { target: { path: `${decodeURIComponent(socketDir)}/.s.PGSQL.5432` }, via: (port) => `postgres://postgres@127.0.0.1:${port}/postgres` };
  const u = new URL(url);
  return {
    target: { host: u.hostname, port: Number(u.port || 5432) },
    via: (port) => {
      const v = new URL(url);
      v.hostname = '127.0.0.1';
      v.port = String(port);
      return v.toString();
    },
  };
}

/**
 * Losing the database answers 503 DATABASE_UNAVAILABLE, never 401 for a valid
 * token (a session that cannot be checked has not ended) nor 500, writes
 * nothing, and the service recovers by itself once the database is back.
 */
describe('database outage', () => {
  let app: INestApplication;
  let http: TestAgent;
  let demo: DemoCounty;
  let link: CuttableLink;
  let db: Client;
  let stopDatabase: () => Promise<void>;
  let databaseUrl: string;
  let campaignId: string;

  beforeAll(async () => {
    const database = await createTestDatabase();
    stopDatabase = database.stop;
    databaseUrl = database.url;
    const { target, via } = hop(database.url);
    link = new CuttableLink(target);
    await link.open();
    const url = via(link.port);
    const config = loadConfig({
      ...TEST_ENV,
      DATABASE_URL: url,
      DEMO_DATA: 'false',
    });
    app = configureApp(await NestFactory.create(AppModule.forRoot(config, url), { bufferLogs: true, logger: false, abortOnError: false }));
    await app.init();
    demo = await app.get(DemoSeedService).seed();
    http = request(app.getHttpServer());
    db = new Client({ connectionString: database.url });
    await db.connect();
    // A campaign in rectification, where items may be recorded.
    const county = await login('county');
    campaignId = (await http.post('/api/campaigns').set('authorization', county).send({ preset: 'huoqiu', title: '断库测试', docNumber: '1号' }).expect(201))
      .body.id;
    for (let i = 0; i < 3; i++) await http.post(`/api/campaigns/${campaignId}/advance`).set('authorization', county).send({}).expect(200);
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
    await link?.cut();
    await stopDatabase?.();
  });

  const login = async (username: string): Promise<string> => {
    const res = await http.post('/api/auth/login').send({ username, password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    return `Bearer ${res.body.accessToken}`;
  };

  const items = async (): Promise<number> => Number((await db.query('SELECT count(*) FROM problem_items')).rows[0].count);

  const newItem = () => ({ campaignId, orgUnitId: demo.orgUnits.datong.id, problemTypeCode: 'HQ-01', description: '断库期间登记' });

  const expectUnavailable = (res: request.Response, what: string): void => {
    expect([what, res.status, res.body.code]).toEqual([what, 503, 'DATABASE_UNAVAILABLE']);
    expect(res.body).toEqual({ statusCode: 503, code: 'DATABASE_UNAVAILABLE', message: '数据库暂时不可用，请稍后重试', details: [] });
    expect(res.headers['retry-after']).toBe('5');
  };

  /** The service comes back without a restart: the first answers after the database returns may still fail while the pool replaces its connections. */
  const eventually = async (send: () => Promise<request.Response>, status: number): Promise<request.Response> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await send();
      if (res.status === status || Date.now() > deadline) return res;
      expect(res.status).toBe(503);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  it('the network to the database drops: valid tokens answer 503 (never 401), nothing is written, the service recovers by itself', async () => {
    const used = await login('leader');
    await http.get('/api/items').set('authorization', used).expect(200);
    // A token whose session this process has not checked yet: checking it needs the database.
    const fresh = await login('cadre');
    const before = await items();

    await link.cut();
    try {
      expectUnavailable(await http.get('/api/items').set('authorization', fresh), 'fresh token');
      expectUnavailable(await http.get('/api/inbox').set('authorization', used), 'used token');
      expectUnavailable(await http.post('/api/items').set('authorization', fresh).send(newItem()), 'write');
      expectUnavailable(await http.post('/api/auth/login').send({ username: 'county', password: DEMO_PASSWORD }), 'login');
      expectUnavailable(await http.get('/api/health'), 'readiness');
      expect((await http.get('/api/health/live')).status).toBe(200);
      // Without a token it is still 401: nothing needed the database to say so.
      expect((await http.get('/api/items')).status).toBe(401);
    } finally {
      await link.open();
    }
    expect((await eventually(() => http.get('/api/items').set('authorization', fresh), 200)).status).toBe(200);
    expect((await http.get('/api/inbox').set('authorization', used)).status).toBe(200);
    expect((await http.post('/api/items').set('authorization', fresh).send(newItem())).status).toBe(201);
    // The refused write left nothing: only the one made after recovery is there.
    expect(await items()).toBe(before + 1);
  });

  // Closing a database to connections is PostgreSQL's; embedded PGlite has one session and no such switch.
  if (serverUrl)
    it('PostgreSQL terminates our connections and refuses new ones: 503 until it accepts them again', async () => {
      const name = new URL(databaseUrl).pathname.slice(1);
      const fresh = await login('cadre2');
      await adminQuery(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      try {
        await adminQuery(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid() AND application_name = 'qingling'`,
        );
        expectUnavailable(await http.get('/api/items').set('authorization', fresh), 'terminated');
        expectUnavailable(await http.get('/api/auth/me').set('authorization', fresh), 'refused');
      } finally {
        await adminQuery(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      }
      expect((await eventually(() => http.get('/api/items').set('authorization', fresh), 200)).status).toBe(200);
    });
});
