/**
 * `npm run rotate:id-key` re-encrypts every resident ID number that was
 * encrypted with a key other than the current ID_ENCRYPTION_KEY_ID (the old
 * key stays in ID_ENCRYPTION_KEYS_RETIRED until this has run);
 * `--reindex` also recomputes every number's keyed index after ID_INDEX_KEY
 * changed. Item versions and histories are untouched: only the stored form
 * of the number changes. Safe to interrupt and run again.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../config/app-config';
import { dataSourceOptions } from '../../database/data-source-options';
import { openDatabase } from '../../database/embedded-postgres';
import { loadResidentIdKeys, ResidentIdKeys } from './resident-id-keys';

const BATCH = 1000;

type Query = (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

export interface RotationResult {
  reencrypted: number;
  reindexed: number;
  /** Items whose number no configured key decrypts: left as they are. */
  unreadable: string[];
}

export async function rotateResidentIds(query: Query, keys: ResidentIdKeys, options: { reindex: boolean }): Promise<RotationResult> {
  const result: RotationResult = { reencrypted: 0, reindexed: 0, unreadable: [] };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await query(
      `SELECT id, household_id_cipher AS c, household_id_index AS x FROM problem_items
        WHERE household_id_cipher IS NOT NULL AND id > $1 ORDER BY id LIMIT ${BATCH}`,
      [after],
    );
    if (rows.length === 0) return result;
    after = rows.at(-1)!.id as string;
    const ids: string[] = [];
    const ciphers: string[] = [];
    const indexes: string[] = [];
    for (const r of rows) {
      const stored = r.c as string;
      const stale = keys.isStale(stored);
      if (!stale && !options.reindex) continue;
      const plain = keys.decrypt(stored);
      if (plain === null) {
        result.unreadable.push(r.id as string);
        continue;
      }
      const index = keys.index(plain);
      ids.push(r.id as string);
      ciphers.push(stale ? keys.encrypt(plain) : stored);
      indexes.push(index);
      if (stale) result.reencrypted++;
      if (index !== r.x) result.reindexed++;
    }
    if (ids.length)
      await query(
        `UPDATE problem_items p SET household_id_cipher = v.c, household_id_index = v.x
           FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, c, x) WHERE p.id = v.id`,
        [ids, ciphers, indexes],
      );
  }
}

export async function rotateCommand(argv: readonly string[], env: Record<string, string | undefined>): Promise<string> {
  const config = loadConfig(env);
  const keys = loadResidentIdKeys(config);
  const db = await openDatabase(config.DATABASE_URL, config.PGLITE_DATA_DIR);
  const ds = new DataSource(dataSourceOptions(db.url, 2));
  await ds.initialize();
  try {
    const r = await rotateResidentIds((sql, p) => ds.query(sql, p), keys, { reindex: argv.includes('--reindex') });
    return [
      `re-encrypted ${r.reencrypted} resident ID numbers with key ${keys.currentId}, re-indexed ${r.reindexed}`,
      ...(r.unreadable.length ? [`UNREADABLE with the configured keys (left as they are): items ${r.unreadable.join(', ')}`] : []),
    ].join('\n');
  } finally {
    await ds.destroy();
    await db.stop();
  }
}

if (require.main === module) {
  rotateCommand(process.argv.slice(2), process.env)
    .then((out) => {
      console.log(out);
      if (out.includes('UNREADABLE')) process.exit(1);
    })
    .catch((e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
