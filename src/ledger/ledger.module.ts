import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { AuthModule } from '../auth/auth.module';
import { AppConfig } from '../config/app-config';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { ItemsModule } from '../items/items.module';
import { OrgsModule } from '../orgs/orgs.module';
import { WorkflowEngineModule } from '../workflow-engine/workflow-engine.module';
import { LedgerController } from './ledger.controller';
import { LedgerExportService } from './ledger-export.service';
import { LedgerImportService } from './ledger-import.service';

/** 问题台账: .xlsx export (streamed), import (all or nothing) and the blank template. */
@Module({
  imports: [
    // SigningGrantAfterUpload (the signing grant of submit=true) needs SigningGrants.
    AuthModule,
    ItemsModule,
    OrgsModule,
    IdempotencyModule,
    WorkflowEngineModule,
    // Uploads beyond LEDGER_IMPORT_MAX_MB are cut off by multer and answered 413.
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        limits: { fileSize: config.LEDGER_IMPORT_MAX_MB * 1024 * 1024, files: 1, fields: 5, fieldSize: 1024, parts: 6, fieldNameSize: 100 },
      }),
    }),
  ],
  controllers: [LedgerController],
  providers: [LedgerExportService, LedgerImportService],
})
export class LedgerModule {}
