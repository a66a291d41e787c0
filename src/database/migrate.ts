/**
 * `npm run migrate` applies pending migrations to DATABASE_OWNER_URL (else
 * DATABASE_URL; or to the
 * embedded PGlite data directory when neither is set); `npm run migrate:revert`
 * (`--revert`) rolls back the latest one. The service also migrates at start-up.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadResidentIdKeys, useResidentIdKeys } from '../common/crypto/resident-id-keys';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { openDatabase } from './embedded-postgres';
import { revertLastMigrationLocked, runMigrationsLocked } from './migrations-runner';

/** What the CLI does, callable from tests; answers the line it prints. */
export async function migrateCommand(argv: readonly string[], env: Record<string, string | undefined>): Promise<string> {
  const config = loadConfig(env);
  // The ID encryption migration encrypts existing numbers with the configured keys.
  useResidentIdKeys(loadResidentIdKeys(config));
  const db = await openDatabase(config.migrationUrl, config.PGLITE_DATA_DIR);
  const ds = new DataSource(dataSourceOptions(db.url, 2));
  await ds.initialize();
  try {
    if (argv.includes('--revert')) {
      const [{ t }] = (await ds.query(`SELECT to_regclass('public.migrations') AS t`)) as Array<{ t: string | null }>;
      const last = t ? ((await ds.query('SELECT name FROM migrations ORDER BY id DESC LIMIT 1')) as Array<{ name: string }>) : [];
      if (!last.length) return 'nothing to revert';
      await revertLastMigrationLocked(ds);
      return `reverted: ${last[0].name}`;
    }
    const applied = await runMigrationsLocked(ds);
    return applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date';
  } finally {
    await ds.destroy();
    await db.stop();
  }
}

if (require.main === module) {
  migrateCommand(process.argv.slice(2), process.env)
    .then((line) => console.log(line))
    .catch((e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
