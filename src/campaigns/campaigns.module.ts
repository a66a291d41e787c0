import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { OrgsModule } from '../orgs/orgs.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { WorkflowEngineModule } from '../workflow-engine/workflow-engine.module';
import { CampaignDefinitions } from './campaign-definitions';
import { Campaign } from './campaign.entity';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';

@Module({
  imports: [TypeOrmModule.forFeature([Campaign]), SignaturesModule, IdempotencyModule, OrgsModule, WorkflowEngineModule],
  controllers: [CampaignsController],
  providers: [CampaignsService, CampaignDefinitions],
  exports: [CampaignsService, CampaignDefinitions],
})
export class CampaignsModule {}
