import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { AdminModule } from './admin/admin.module';
import { SecurityModule } from './security/security.module';
import { AttachmentsModule } from './attachments/attachments.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { ItemsModule } from './items/items.module';
import { LedgerModule } from './ledger/ledger.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ReportsModule } from './reports/reports.module';
import { InspectionModule } from './inspection/inspection.module';
import { WorkflowsApiModule } from './workflows-api/workflows-api.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { DomainErrorFilter } from './common/errors/domain-error.filter';
import { httpLogging } from './common/logging/http-logging';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DemoModule } from './demo/demo.module';
import { ConsoleModule } from './console/console.module';
import { DelegationsModule } from './delegations/delegations.module';
import { RemindersModule } from './reminders/reminders.module';
import { DirectoryModule } from './directory/directory.module';
import { HealthModule } from './health/health.module';
import { OrgsModule } from './orgs/orgs.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: httpLogging(config.LOG_LEVEL),
        }),
        ThrottlerModule.forRoot([{ name: 'login', ttl: 60_000, limit: config.LOGIN_RATE_LIMIT }]),
        DatabaseModule.forRoot(databaseUrl, {
          migrationUrl: config.DATABASE_OWNER_URL,
          leastPrivilege: config.embedded ? 'skip' : config.NODE_ENV === 'production' ? 'require' : 'warn',
        }),
        AuditModule,
        OrgsModule,
        UsersModule,
        AuthModule,
        AdminModule,
        SecurityModule,
        CampaignsModule,
        ItemsModule,
        LedgerModule,
        AttachmentsModule,
        NotificationsModule,
        WorkflowsApiModule,
        ReportsModule,
        InspectionModule,
        DirectoryModule,
        DelegationsModule,
        RemindersModule,
        HealthModule,
        DemoModule,
        ConsoleModule.forRoot(config),
      ],
      providers: [{ provide: APP_FILTER, useClass: DomainErrorFilter }],
    };
  }
}
