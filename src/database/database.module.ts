import { DynamicModule, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { runMigrationsLocked } from './migrations-runner';

/** Applies pending migrations (under the advisory lock) before anything else touches the database. */
@Injectable()
class MigrateOnBoot implements OnModuleInit {
  private readonly logger = new Logger('Migrations');
  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    const applied = await runMigrationsLocked(this.dataSource);
    if (applied.length) this.logger.log(`applied ${applied.join(', ')}`);
  }
}

@Module({})
export class DatabaseModule {
  /** `url` is a real server or the embedded PGlite socket (see openDatabase). */
  static forRoot(url: string): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(url), autoLoadEntities: false })],
      providers: [MigrateOnBoot],
    };
  }
}
