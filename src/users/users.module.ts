import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PasswordPolicySetting } from '../auth/password-policy-setting.entity';
import { PasswordPolicy } from '../auth/password-policy.service';
import { SessionRegistry } from '../auth/session-registry';
import { Session } from '../auth/session.entity';
import { PasswordHistory } from './password-history.entity';
import { RoleGrant } from './role-grant.entity';
import { RolesService } from './roles.service';
import { User } from './user.entity';
import { UserDirectory } from './user-directory';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, PasswordHistory, Session, RoleGrant, PasswordPolicySetting])],
  providers: [UsersService, RolesService, UserDirectory, PasswordPolicy, SessionRegistry],
  exports: [UsersService, RolesService, UserDirectory, PasswordPolicy, SessionRegistry],
})
export class UsersModule {}
