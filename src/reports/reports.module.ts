import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { ItemsModule } from '../items/items.module';
import { ProblemItem } from '../items/problem-item.entity';
import { OrgsModule } from '../orgs/orgs.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { ReportsExportService } from './reports-export.service';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { NoticeReceiptService } from './notice-receipt.service';
import { NotificationsModule } from '../notifications/notifications.module';
import { SummaryReport } from './summary-report.entity';
import { SupervisionNotice } from './supervision-notice.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([ProblemItem, SupervisionNotice, SummaryReport]),
    CampaignsModule,
    ItemsModule,
    OrgsModule,
    SignaturesModule,
    IdempotencyModule,
    NotificationsModule,
  ],
  controllers: [ReportsController],
  providers: [ReportsService, ReportsExportService, NoticeReceiptService],
})
export class ReportsModule {}
