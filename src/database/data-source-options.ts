import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** The one description of our database, shared by the app, the migration CLI and the tests. */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    // A connection attempt that hears nothing (packets dropped, not refused) gives up after 5 s, so the
    // request answers 503 instead of hanging; keep-alive finds connections a dead link left open.
    extra: { max: poolSize, application_name: 'qingling', connectionTimeoutMillis: 5000, keepAlive: true },
    logging: ['error'],
  };
}

/**
 * A streaming standby's connection: the same entities (reads build the same
 * queries), no migrations (a standby is read-only and replays the primary's),
 * its own application_name so pg_stat_activity on either server tells the
 * two pools apart. It is a DataSource of its own rather than a slave of
 * TypeORM's `replication` option on purpose: that option connects every slave
 * while the service starts (a standby that is down would keep the service
 * from starting), picks one at random for each query runner with no notion of
 * health, and sends every find() outside a transaction to a slave, the reads
 * of write paths (idempotency, sessions) included. Which reads may be stale is
 * decided route by route instead (src/database/standby-reads.ts).
 */
export function standbyDataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  const base = dataSourceOptions(url, poolSize);
  return {
    ...base,
    migrations: [],
    extra: { ...(base.extra as Record<string, unknown>), application_name: STANDBY_APPLICATION_NAME },
  };
}

export const STANDBY_APPLICATION_NAME = 'qingling-standby-read';
