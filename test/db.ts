import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { RunningDatabase, startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { runMigrationsLocked } from '../src/database/migrations-runner';
import { SERVICE_ROLE } from '../migrations/1763880000000-DatabaseRoles';

/**
 * Test databases. With TEST_DATABASE_URL every test file gets its own database
 * cloned from a migrated template (created once in global-setup); without it,
 * each file gets a fresh in-memory PGlite and migrates it.
 */
export const serverUrl = process.env.TEST_DATABASE_URL;
export const TEMPLATE_ENV = 'QINGLING_TEST_TEMPLATE_DB';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * The login role e2e apps connect as on a server: a member of the group the
 * migrations grant to (qingling_service) and nothing more, as in production;
 * specs that tamper with the database use the superuser URL.
 */
export const TEST_SERVICE_ROLE = 'qingling_test_service';

/** Creates the service group and login roles once per server; several suites may race to do it. */
export async function ensureServiceRoles(): Promise<void> {
  for (const sql of [`CREATE ROLE ${SERVICE_ROLE} NOLOGIN`, `CREATE ROLE ${TEST_SERVICE_ROLE} LOGIN IN ROLE ${SERVICE_ROLE}`]) {
    await adminQuery(`DO $$ BEGIN ${sql}; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
  }
}

/** `url` with the service's login role instead of the superuser. */
export function asServiceRole(url: string): string {
  const u = new URL(url);
  u.username = TEST_SERVICE_ROLE;
  u.password = '';
  return u.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function migrate(url: string): Promise<void> {
  const ds = new DataSource(dataSourceOptions(url, 2));
  await ds.initialize();
  try {
    await runMigrationsLocked(ds);
  } finally {
    await ds.destroy();
  }
}

/** A database for one test file; `empty` skips the migrated template. */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<RunningDatabase> {
  if (!serverUrl) {
    const db = await startEmbeddedPostgres('memory://');
    if (!options.empty) await migrate(db.url);
    return db;
  }
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error(`${TEMPLATE_ENV} not set: is test/global-setup.ts configured?`);
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  await adminQuery(options.empty ? `CREATE DATABASE "${name}"` : `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  return {
    url: withDatabase(serverUrl, name),
    stop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
