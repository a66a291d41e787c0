import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC } from '../common/decorators/public.decorator';
import { REQUIRED_ROLES } from '../common/decorators/roles.decorator';
import { DomainError } from '../common/errors/domain-error';
import { createValidationPipe } from '../common/pipes/validation.pipe';
import { AuthUser, hasRole } from './auth-user';
import { LoginDto } from './dto/login.dto';
import { ALLOWED_BEFORE_CHANGE } from './password-change.guard';
import type { Role } from './roles';

/** Global: every route needs a valid access token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(ctx: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()]);
    return isPublic ? true : super.canActivate(ctx);
  }

  /**
   * passport-jwt reports a bad token as no user; `err` is only ever what our
   * own check of the account and session threw. That is not a verdict on the
   * token: a database that could not be asked answers 503, never 401.
   */
  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw new DomainError('UNAUTHENTICATED', '未登录或登录已失效');
    return user;
  }
}

/**
 * Global, after JwtAuthGuard: enforces @Roles(). A user holding no role (an
 * account whose roles a security admin has yet to set) may call only what a
 * user who must change their password may call: who am I, change it.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const targets = [ctx.getHandler(), ctx.getClass()];
    const user = ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (user && user.roles.length === 0 && !this.reflector.getAllAndOverride<boolean>(ALLOWED_BEFORE_CHANGE, targets)) {
      throw DomainError.forbidden('账号尚未授予角色，请联系安全管理员');
    }
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (!required?.length) return true;
    if (!user || !hasRole(user, ...required)) throw DomainError.forbidden('当前角色无权访问此功能');
    return true;
  }
}

/**
 * Login: validates the body first (guards run before pipes, and a missing
 * field must be a 400 naming it, not passport's bare 401), then passport-local.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const body: unknown = ctx.switchToHttp().getRequest<{ body: unknown }>().body;
    await createValidationPipe().transform(body ?? {}, { type: 'body', metatype: LoginDto });
    return (await super.canActivate(ctx)) as boolean;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw new DomainError('INVALID_CREDENTIALS', '用户名或密码错误');
    return user;
  }
}
