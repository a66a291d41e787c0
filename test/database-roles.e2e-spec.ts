import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { APPEND_ONLY_TABLES, SERVICE_ROLE } from '../migrations/1763880000000-DatabaseRoles';
import { EVIDENCE_TABLES } from '../migrations/1763950000000-DrawGrants';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { loadConfig } from '../src/config/app-config';
import { setupDatabaseRoles } from '../src/database/database-roles';
import { migrateCommand } from '../src/database/migrate';
import { createTestApp, TEST_ENV, TestApp } from './app';
import { adminQuery, serverUrl, withDatabase } from './db';
import { tamperWith } from './factories';

/**
 * Least privilege (等保 安全计算环境): on a server the service logs in as a
 * member of qingling_service, which may only read and append the evidence
 * tables, owns nothing and is no superuser; migrations run as the owner.
 */
describe('database roles', () => {
  let t: TestApp;
  let superuser: Client;

  beforeAll(async () => {
    t = await createTestApp();
    superuser = new Client({ connectionString: t.databaseUrl });
    await superuser.connect();
  });
  afterAll(async () => {
    await superuser.end();
    await t.close();
  });

  it('grants qingling_service SELECT and INSERT only on the evidence tables, and the working privileges on every other table', async () => {
    const { rows } = await superuser.query<{ table: string; s: boolean; i: boolean; u: boolean; d: boolean; tr: boolean }>(
      `SELECT tablename AS table,
              has_table_privilege($1, format('%I', tablename), 'SELECT') AS s, has_table_privilege($1, format('%I', tablename), 'INSERT') AS i,
              has_table_privilege($1, format('%I', tablename), 'UPDATE') AS u, has_table_privilege($1, format('%I', tablename), 'DELETE') AS d,
              has_table_privilege($1, format('%I', tablename), 'TRUNCATE') AS tr
         FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
      [SERVICE_ROLE],
    );
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows) {
      const expected = EVIDENCE_TABLES.includes(r.table)
        ? { s: true, i: true, u: false, d: false, tr: false }
        : r.table === 'migrations'
          ? { s: true, i: false, u: false, d: false, tr: false }
          : { s: true, i: true, u: true, d: true, tr: false };
      expect({ table: r.table, s: r.s, i: r.i, u: r.u, d: r.d, tr: r.tr }).toEqual({ table: r.table, ...expected });
    }
  });

  it('purges audit events past retention through the owner’s function only, and never younger than six months', async () => {
    await t.token('county'); // a login: the first audit event
    const [{ id: old }] = (await superuser.query(`SELECT id FROM audit_events ORDER BY created_at LIMIT 1`)).rows;
    await tamperWith(superuser, [`UPDATE audit_events SET created_at = now() - interval '7 months' WHERE id = $1`, [old]]);
    const before = Number((await superuser.query('SELECT count(*) FROM audit_events')).rows[0].count);
    const gone = await superuser.query(`SELECT * FROM qingling_purge_audit_events(1)`);
    expect(gone.rows.reduce((n, r) => n + r.deleted, 0)).toBe(1);
    expect(Number((await superuser.query('SELECT count(*) FROM audit_events')).rows[0].count)).toBe(before - 1);
  });

  const server = serverUrl;
  if (server) {
    describe('the service’s own login role', () => {
      let service: Client;
      beforeAll(async () => {
        service = new Client({ connectionString: t.serviceUrl });
        await service.connect();
      });
      afterAll(() => service.end());

      /** The SQLSTATE a statement fails with (it must fail). */
      const refusal = async (sql: string): Promise<string> => {
        try {
          await service.query(sql);
        } catch (e) {
          return (e as { code: string }).code;
        }
        throw new Error(`not refused: ${sql}`);
      };

      it('is no superuser and owns nothing', async () => {
        const { rows } = await service.query(
          `SELECT rolsuper, rolcreaterole, rolcreatedb, (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user) AS owned
             FROM pg_roles WHERE rolname = current_user`,
        );
        expect(rows[0]).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, owned: 0 });
      });

      it('cannot change or remove a signature or an audit event, even past the triggers', async () => {
        for (const table of APPEND_ONLY_TABLES) {
          // (the draw tables are held to the same grants by the privilege test above)
          expect(await refusal(`UPDATE "${table}" SET ${table === 'audit_sealing' ? 'started_at = now()' : 'key_id = key_id'}`)).toBe('42501');
          expect(await refusal(`DELETE FROM "${table}"`)).toBe('42501');
          expect(await refusal(`TRUNCATE "${table}"`)).toBe('42501');
        }
        expect(await refusal(`SET session_replication_role = replica`)).toBe('42501');
        expect(await refusal(`ALTER TABLE signatures DISABLE TRIGGER USER`)).toBe('42501');
        expect(await refusal(`DROP TRIGGER signatures_immutable ON signatures`)).toBe('42501');
        expect(await refusal(`CREATE TABLE escape (id int)`)).toBe('42501');
        expect(await refusal(`INSERT INTO migrations (timestamp, name) VALUES (1, 'x')`)).toBe('42501');
      });

      it('may call the audit purge but it removes nothing younger than six months', async () => {
        const before = Number((await superuser.query('SELECT count(*) FROM audit_events')).rows[0].count);
        const { rows } = await service.query(`SELECT * FROM qingling_purge_audit_events(0)`);
        expect(rows).toEqual([]);
        expect(Number((await superuser.query('SELECT count(*) FROM audit_events')).rows[0].count)).toBe(before);
      });
    });

    describe('npm run db:roles, migrations as the owner, the service as its own role', () => {
      const suffix = randomBytes(3).toString('hex');
      const database = `qingling_roles_${suffix}`;
      const owner = `qingling_owner_${suffix}`;
      const app = `qingling_app_${suffix}`;
      const url = (user: string) => {
        const u = new URL(withDatabase(server, database));
        u.username = user;
        u.password = 'Pw-' + suffix;
        return u.toString();
      };
      const production = (databaseUrl: string) =>
        loadConfig({ ...TEST_ENV, NODE_ENV: 'production', DATABASE_URL: databaseUrl, DATABASE_OWNER_URL: url(owner), DEMO_DATA: 'false' });
      afterAll(async () => {
        await adminQuery(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        await adminQuery(`DROP ROLE IF EXISTS ${app}`);
        await adminQuery(`DROP ROLE IF EXISTS ${owner}`);
      });

      it('creates the roles and the database, is safe to run again, and the service starts in production as its role', async () => {
        const done = await setupDatabaseRoles(server, url(owner), url(app));
        expect(done).toEqual(expect.arrayContaining([`created role ${owner}`, `created role ${app}`, `created database ${database} owned by ${owner}`]));
        expect(await setupDatabaseRoles(server, url(owner), url(app))).not.toContain(`created database ${database} owned by ${owner}`);

        expect(await migrateCommand([], { DATABASE_URL: url(app), DATABASE_OWNER_URL: url(owner) })).toMatch(/^applied: /);
        const c = new Client({ connectionString: url(app) });
        await c.connect();
        try {
          const { rows } = await c.query(`SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`);
          expect(rows).toEqual([{ tableowner: owner }]);
        } finally {
          await c.end();
        }

        const config = production(url(app));
        const nest = configureApp(await NestFactory.create(AppModule.forRoot(config, url(app)), { logger: false, abortOnError: false }));
        await nest.init();
        try {
          await request(nest.getHttpServer()).get('/api/health').expect(200);
        } finally {
          await nest.close();
        }
      });

      it('refuses to start in production when DATABASE_URL is the owner', async () => {
        const config = production(url(owner));
        const nest = configureApp(await NestFactory.create(AppModule.forRoot(config, url(owner)), { logger: false, abortOnError: false }));
        await expect(nest.init()).rejects.toThrow(/owner of \d+ tables/);
        await nest.close().catch(() => undefined);
      });
    });
  }
});
