import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { ItemsModule } from '../items/items.module';
import { OrgsModule } from '../orgs/orgs.module';
import { UsersModule } from '../users/users.module';
import { DemoSeedService } from './demo-seed.service';

@Module({ imports: [OrgsModule, UsersModule, CampaignsModule, ItemsModule, AttachmentsModule], providers: [DemoSeedService], exports: [DemoSeedService] })
export class DemoModule {}
