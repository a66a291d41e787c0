import { MIGRATIONS } from '../migrations';
import { migrateCommand } from '../src/database/migrate';
import { createTestDatabase } from './db';

/** `npm run migrate` / `npm run migrate:revert` as the README documents them. */
describe('migrate CLI', () => {
  it('applies every migration to an empty database, then reports it up to date, then reverts the latest one', async () => {
    const db = await createTestDatabase({ empty: true });
    try {
      const env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent' };
      expect(await migrateCommand([], env)).toBe(`applied: ${MIGRATIONS.map((m) => m.name).join(', ')}`);
      expect(await migrateCommand([], env)).toBe('schema is up to date');
      expect(await migrateCommand(['--revert'], env)).toBe(`reverted: ${MIGRATIONS[MIGRATIONS.length - 1].name}`);
      expect(await migrateCommand([], env)).toBe(`applied: ${MIGRATIONS[MIGRATIONS.length - 1].name}`);
    } finally {
      await db.stop();
    }
  });

  it('has nothing to revert on an empty database', async () => {
    const db = await createTestDatabase({ empty: true });
    try {
      expect(await migrateCommand(['--revert'], { DATABASE_URL: db.url })).toBe('nothing to revert');
    } finally {
      await db.stop();
    }
  });
});
