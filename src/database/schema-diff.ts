/**
 * Developer tool: prints the SQL that would bring the database at DATABASE_URL
 * in line with the entities (after applying our migrations). Use it to draft a
 * new migration, then review and hand-edit the file under migrations/.
 *   npm run build && DATABASE_URL=postgres://… node dist/src/database/schema-diff.js
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { runMigrationsLocked } from './migrations-runner';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (!config.DATABASE_URL) throw new Error('set DATABASE_URL to an empty scratch database');
  const ds = new DataSource(dataSourceOptions(config.DATABASE_URL, 2));
  await ds.initialize();
  await runMigrationsLocked(ds);
  const sql = await ds.driver.createSchemaBuilder().log();
  for (const q of sql.upQueries) console.log(`UP   ${q.query};`);
  for (const q of [...sql.downQueries].reverse()) console.log(`DOWN ${q.query};`);
  await ds.destroy();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
