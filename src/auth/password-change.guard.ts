import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '../common/decorators/public.decorator';
import { DomainError } from '../common/errors/domain-error';
import type { AuthUser } from './auth-user';
import { PasswordPolicy } from './password-policy.service';

export const ALLOWED_BEFORE_CHANGE = 'qingling:allowed-before-password-change';
/** Marks a route a user whose password must be changed, or who holds no role yet, may still call (who am I, change it). */
export const AllowedBeforePasswordChange = (): MethodDecorator => SetMetadata(ALLOWED_BEFORE_CHANGE, true);

/**
 * Global, after JwtAuthGuard: a user whose password expired or was given by an
 * admin may do nothing else until they change it (403 PASSWORD_CHANGE_REQUIRED,
 * which the console turns into its change-password page).
 */
@Injectable()
export class PasswordChangeGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly policy: PasswordPolicy,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const user = ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    // The county's policy (its maximum age; its rules for /api/auth/me), read at most once a minute.
    if (user) await this.policy.of(user.countyId);
    if (this.reflector.getAllAndOverride<boolean>(ALLOWED_BEFORE_CHANGE, targets)) return true;
    if (user && this.policy.changeRequired(user)) {
      throw new DomainError('PASSWORD_CHANGE_REQUIRED', '密码已过期或由管理员设置，请先修改密码');
    }
    return true;
  }
}
