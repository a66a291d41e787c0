import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { RunningDatabase } from '../src/database/embedded-postgres';
import { pendingSchemaChanges, revertLastMigrationLocked, runMigrationsLocked } from '../src/database/migrations-runner';
import { MIGRATIONS } from '../migrations';
import { createTestDatabase, serverUrl } from './db';

async function tables(ds: DataSource): Promise<string[]> {
  const rows: Array<{ tablename: string }> = await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  return rows.map((r) => r.tablename);
}

describe('migrations', () => {
  let db: RunningDatabase;
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    ds = new DataSource(dataSourceOptions(db.url, 2));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.stop();
  });

  it('run up on an empty database, match the entities exactly, and run down to nothing', async () => {
    expect(await tables(ds)).toEqual([]);
    const applied = await runMigrationsLocked(ds);
    expect(applied).toHaveLength(MIGRATIONS.length);
    expect(await tables(ds)).toEqual(expect.arrayContaining(['org_units', 'users', 'refresh_tokens', 'audit_events', 'supervision_coverage']));
    // Drift guard: entities and migrations describe the same schema.
    expect(await pendingSchemaChanges(ds)).toEqual([]);
    // Running again is a no-op.
    expect(await runMigrationsLocked(ds)).toEqual([]);

    for (let i = 0; i < MIGRATIONS.length; i++) await revertLastMigrationLocked(ds);
    expect(await tables(ds)).toEqual(['migrations']);

    expect(await runMigrationsLocked(ds)).toHaveLength(MIGRATIONS.length);
    expect(await pendingSchemaChanges(ds)).toEqual([]);
  });

  // Embedded PGlite is one session in one process, where advisory locks cannot
  // exclude anything; the race this guards against exists on a server only.
  if (serverUrl)
    it('two instances migrating at once apply each migration exactly once', async () => {
      const fresh = await createTestDatabase({ empty: true });
      const a = new DataSource(dataSourceOptions(fresh.url, 2));
      const b = new DataSource(dataSourceOptions(fresh.url, 2));
      await Promise.all([a.initialize(), b.initialize()]);
      try {
        const [ra, rb] = await Promise.all([runMigrationsLocked(a), runMigrationsLocked(b)]);
        expect(ra.length + rb.length).toBe(MIGRATIONS.length);
        const rows = await a.query('SELECT name FROM migrations');
        expect(rows).toHaveLength(MIGRATIONS.length);
      } finally {
        await Promise.all([a.destroy(), b.destroy()]);
        await fresh.stop();
      }
    });
});
