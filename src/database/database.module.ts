import { APP_INTERCEPTOR } from '@nestjs/core';
import { DynamicModule, Inject, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { checkServiceRole } from './database-roles';
import { dataSourceOptions } from './data-source-options';
import { runMigrationsLocked } from './migrations-runner';
import { StandbyReadInterceptor, StandbyReads, WriteLsnInterceptor } from './standby-reads';

export interface DatabaseOptions {
  /** The schema owner's connection, for migrations; unset: the service's own connection migrates. */
  migrationUrl?: string;
  /**
   * A service role that is superuser or owns tables: refused (production on
   * an external database), warned of (elsewhere on one), or accepted (the
   * embedded database has a single role).
   */
  leastPrivilege: 'require' | 'warn' | 'skip';
}
const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

/**
 * Applies pending migrations (under the advisory lock) before anything else
 * touches the database — as the owner when DATABASE_OWNER_URL is set — then
 * checks what the service's own role may do.
 */
@Injectable()
class MigrateOnBoot implements OnModuleInit {
  private readonly logger = new Logger('Migrations');
  constructor(
    private readonly dataSource: DataSource,
    @Inject(DATABASE_OPTIONS) private readonly options: DatabaseOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    const applied = this.options.migrationUrl ? await this.migrateAsOwner(this.options.migrationUrl) : await runMigrationsLocked(this.dataSource);
    if (applied.length) this.logger.log(`applied ${applied.join(', ')}`);
    if (this.options.leastPrivilege === 'skip') return;
    const role = await checkServiceRole((sql) => this.dataSource.query(sql));
    if (role.superuser || role.ownedTables > 0) {
      const what = `the service connects as ${role.role}, ${role.superuser ? 'a superuser' : `owner of ${role.ownedTables} tables`}`;
      if (this.options.leastPrivilege === 'require')
        throw new Error(`${what}: give DATABASE_URL the service's own role (npm run db:roles) and DATABASE_OWNER_URL the owner's`);
      this.logger.warn(`${what}; in production it must be a role of qingling_service only (npm run db:roles)`);
    }
  }

  private async migrateAsOwner(url: string): Promise<string[]> {
    const owner = new DataSource(dataSourceOptions(url, 2)); // the lock's connection and the migrations'
    await owner.initialize();
    try {
      return await runMigrationsLocked(owner);
    } finally {
      await owner.destroy();
    }
  }
}

@Module({})
export class DatabaseModule {
  /** `url` is a real server or the embedded PGlite socket (see openDatabase). */
  static forRoot(url: string, options: DatabaseOptions = { leastPrivilege: 'skip' }): DynamicModule {
    return {
      module: DatabaseModule,
      // Global: every module's read services and routes may read from a standby (StandbyReads, @ReadsFromStandby).
      global: true,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(url), autoLoadEntities: false })],
      providers: [
        MigrateOnBoot,
        { provide: DATABASE_OPTIONS, useValue: options },
        StandbyReads,
        StandbyReadInterceptor,
        { provide: APP_INTERCEPTOR, useClass: WriteLsnInterceptor },
      ],
      exports: [StandbyReads, StandbyReadInterceptor],
    };
  }
}
