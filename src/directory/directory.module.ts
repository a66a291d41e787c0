import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ItemsModule } from '../items/items.module';
import { Campaign } from '../campaigns/campaign.entity';
import { OrgsModule } from '../orgs/orgs.module';
import { OrgUnit } from '../orgs/org-unit.entity';
import { User } from '../users/user.entity';
import { DirectoryController } from './directory.controller';
import { DirectoryService } from './directory.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, OrgUnit, Campaign]), ItemsModule, OrgsModule],
  controllers: [DirectoryController],
  providers: [DirectoryService],
})
export class DirectoryModule {}
