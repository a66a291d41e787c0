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
