import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { ProblemItem } from '../items/problem-item.entity';
import { OrgsModule } from '../orgs/orgs.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { AccountabilityService } from './accountability.service';
import { InspectionExportService } from './inspection-export.service';
import { InspectionController } from './inspection.controller';
import { SpotCheckDraw, SpotCheckDrawItem } from './spot-check-draw.entity';
import { SpotChecksService } from './spot-checks.service';

/** 抽查复核 draws, their worklist and coverage, and the accountability report (谁签字谁负责). */
@Module({
  imports: [TypeOrmModule.forFeature([SpotCheckDraw, SpotCheckDrawItem, ProblemItem]), CampaignsModule, OrgsModule, SignaturesModule, IdempotencyModule],
  controllers: [InspectionController],
  providers: [SpotChecksService, AccountabilityService, InspectionExportService],
})
export class InspectionModule {}
