import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PasswordPolicy } from '../auth/password-policy.service';
import { SessionRegistry } from '../auth/session-registry';
import { Session } from '../auth/session.entity';
import { PasswordHistory } from './password-history.entity';
import { User } from './user.entity';
import { UserDirectory } from './user-directory';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, PasswordHistory, Session])],
  providers: [UsersService, UserDirectory, PasswordPolicy, SessionRegistry],
  exports: [UsersService, UserDirectory, PasswordPolicy, SessionRegistry],
})
export class UsersModule {}
