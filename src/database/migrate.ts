/**
 * `npm run migrate` applies pending migrations to DATABASE_URL (or to the
 * embedded PGlite data directory when it is unset); `npm run migrate:revert`
 * (`--revert`) rolls back the latest one. The service also migrates at start-up.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { openDatabase } from './embedded-postgres';
import { revertLastMigrationLocked, runMigrationsLocked } from './migrations-runner';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const db = await openDatabase(config.DATABASE_URL, config.PGLITE_DATA_DIR);
  const ds = new DataSource(dataSourceOptions(db.url, 2));
  await ds.initialize();
  try {
    if (process.argv.includes('--revert')) {
      await revertLastMigrationLocked(ds);
      console.log('reverted the latest migration');
    } else {
      const applied = await runMigrationsLocked(ds);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
    }
  } finally {
    await ds.destroy();
    await db.stop();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
