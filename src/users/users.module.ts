import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PasswordPolicy } from '../auth/password-policy.service';
import { PasswordHistory } from './password-history.entity';
import { User } from './user.entity';
import { UserDirectory } from './user-directory';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, PasswordHistory])],
  providers: [UsersService, UserDirectory, PasswordPolicy],
  exports: [UsersService, UserDirectory, PasswordPolicy],
})
export class UsersModule {}
