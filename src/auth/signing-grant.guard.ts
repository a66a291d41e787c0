import { applyDecorators, CallHandler, CanActivate, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { AppConfig } from '../config/app-config';
import type { AuthUser } from './auth-user';
import { SIGNING_GRANT_HEADER, SigningGrants } from './signing-grants';

const SIGNS_WITH_GRANT = 'qingling:signs-with-grant';

/** Whether this request signs (read before the body is validated: treat every value as untrusted). */
export type SignsWhen = (req: Request) => boolean;

const always: SignsWhen = () => true;

/**
 * Marks a route that writes a signature: the request must carry the
 * session's signing grant in X-Signing-Grant (SigningGrantGuard), when
 * `when` says it signs (e.g. only the signed item events). Documents the header.
 */
export const SignsWithGrant = (when: SignsWhen = always): MethodDecorator =>
  applyDecorators(
    SetMetadata(SIGNS_WITH_GRANT, when),
    ApiHeader({
      name: SIGNING_GRANT_HEADER,
      required: false,
      description:
        '签字确认（POST /api/auth/signing-grant 输入登录密码取得，当前会话有效，默认 5 分钟）。签字的请求必须携带：' +
        '缺少时 403 SIGNING_GRANT_REQUIRED；已过期、已被新的确认取代或不属于当前会话时 403 SIGNING_GRANT_INVALID',
    }),
  );

@Injectable()
class SigningGrantCheck {
  constructor(
    private readonly reflector: Reflector,
    private readonly grants: SigningGrants,
    private readonly config: AppConfig,
  ) {}

  async enforce(ctx: ExecutionContext): Promise<void> {
    if (!this.config.SIGNING_STEP_UP) return;
    const when = this.reflector.get<SignsWhen | undefined>(SIGNS_WITH_GRANT, ctx.getHandler());
    if (!when) return;
    const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    if (!req.user || !when(req)) return;
    await this.grants.checkOrThrow(req.user, req.header(SIGNING_GRANT_HEADER) || undefined, `${req.method} ${req.path}`);
  }
}

/** Global, after the role check: enforces @SignsWithGrant(). */
@Injectable()
export class SigningGrantGuard extends SigningGrantCheck implements CanActivate {
  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    await this.enforce(ctx);
    return true;
  }
}

/**
 * The same check once a multipart upload has been read: guards run before
 * multer parses form fields, so a route whose `when` reads a form field
 * (ledger import's `submit`) lists this after its FileInterceptor.
 */
@Injectable()
export class SigningGrantAfterUpload extends SigningGrantCheck implements NestInterceptor {
  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    await this.enforce(ctx);
    return next.handle();
  }
}
