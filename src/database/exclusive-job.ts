import { DataSource } from 'typeorm';

/**
 * Runs a scheduled job in one instance of the service at a time: under a
 * session-level advisory lock named after the job (hashtextextended, so names
 * need no registry of numbers), held on a connection of its own while `work`
 * uses the pool as it likes. An instance that finds the lock taken skips this
 * round (answers undefined): another is doing the same job right now, and
 * every job here is a catch-up that the next round of any instance finishes.
 * A connection that dies releases its lock, so a crashed instance never
 * blocks the others.
 *
 * On embedded PGlite every connection is the same session, so the lock is
 * always granted; there is only ever one process there.
 */
export async function runExclusive<T>(dataSource: DataSource, job: string, work: () => Promise<T>): Promise<T | undefined> {
  const lock = dataSource.createQueryRunner();
  try {
    const [{ ok }] = (await lock.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [`qingling.job.${job}`])) as Array<{ ok: boolean }>;
    if (!ok) return undefined;
    try {
      return await work();
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [`qingling.job.${job}`]).catch(() => undefined);
    }
  } finally {
    await lock.release();
  }
}
