import { Module } from '@nestjs/common';
import { OrgsModule } from '../orgs/orgs.module';
import { UsersModule } from '../users/users.module';
import { DemoSeedService } from './demo-seed.service';

@Module({ imports: [OrgsModule, UsersModule], providers: [DemoSeedService], exports: [DemoSeedService] })
export class DemoModule {}
