import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AttachmentsModule } from '../attachments/attachments.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { OrgsModule } from '../orgs/orgs.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { UsersModule } from '../users/users.module';
import { WorkflowEngineModule } from '../workflow-engine/workflow-engine.module';
import { ItemBatchService } from './item-batch.service';
import { ItemsController } from './items.controller';
import { ItemReadService } from './item-read.service';
import { ItemWriteService } from './item-write.service';
import { ProblemItem } from './problem-item.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([ProblemItem]),
    OrgsModule,
    IdempotencyModule,
    SignaturesModule,
    AttachmentsModule,
    WorkflowEngineModule,
    CampaignsModule,
    UsersModule,
  ],
  controllers: [ItemsController],
  providers: [ItemReadService, ItemWriteService, ItemBatchService],
  exports: [ItemReadService, ItemWriteService],
})
export class ItemsModule {}
