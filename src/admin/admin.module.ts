import { Module } from '@nestjs/common';
import { OrgsModule } from '../orgs/orgs.module';
import { UsersModule } from '../users/users.module';
import { AdminController } from './admin.controller';

@Module({ imports: [OrgsModule, UsersModule], controllers: [AdminController] })
export class AdminModule {}
