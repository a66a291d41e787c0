import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AttachmentsModule } from '../attachments/attachments.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrgsModule } from '../orgs/orgs.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { ItemsController } from './items.controller';
import { ItemsService } from './items.service';
import { ProblemItem } from './problem-item.entity';

@Module({
  imports: [TypeOrmModule.forFeature([ProblemItem]), OrgsModule, IdempotencyModule, SignaturesModule, AttachmentsModule, NotificationsModule],
  controllers: [ItemsController],
  providers: [ItemsService],
  exports: [ItemsService],
})
export class ItemsModule {}
