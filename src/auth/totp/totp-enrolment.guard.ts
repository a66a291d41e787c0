import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '../../common/decorators/public.decorator';
import { DomainError } from '../../common/errors/domain-error';
import type { AuthUser } from '../auth-user';
import { TotpService } from './totp.service';

const ALLOWED_BEFORE_ENROLMENT = 'qingling:allowed-before-totp-enrolment';
/** Marks a route a user who must enrol a second factor may still call (who am I, enrol, change password). */
export const AllowedBeforeTotpEnrolment = (): MethodDecorator => SetMetadata(ALLOWED_BEFORE_ENROLMENT, true);

/**
 * Global, after PasswordChangeGuard: a user whose role requires a second
 * factor (TOTP_REQUIRED_ROLES) and who has none may do nothing but enrol one
 * (403 TOTP_ENROLMENT_REQUIRED, which the console turns into its enrolment page).
 * Users of other roles cost nothing here; for the others a yes is cached.
 */
@Injectable()
export class TotpEnrolmentGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly totp: TotpService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    if (this.reflector.getAllAndOverride<boolean>(ALLOWED_BEFORE_ENROLMENT, targets)) return true;
    const user = ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (user && (await this.totp.enrolmentRequired(user))) {
      throw new DomainError('TOTP_ENROLMENT_REQUIRED', '您的角色须使用双因素认证，请先绑定动态验证码（身份验证器）');
    }
    return true;
  }
}
