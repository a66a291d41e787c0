import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { PasswordPolicyController } from './password-policy.controller';
import { RoleGrantsController } from './role-grants.controller';
import { UserSecurityController } from './user-security.controller';

/** 安全管理 (三权分立): role grants, the security admin's account work, the password policy. */
@Module({ imports: [UsersModule], controllers: [RoleGrantsController, UserSecurityController, PasswordPolicyController] })
export class SecurityModule {}
