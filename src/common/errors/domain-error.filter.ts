import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, Optional } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AuditService } from '../../audit/audit.service';
import type { AuthUser } from '../../auth/auth-user';
import { isDatabaseUnavailable } from '../../database/database-errors';
import { DomainError, ErrorDetail } from './domain-error';
import { ErrorCode } from './error-codes';

export function statusOf(code: ErrorCode): HttpStatus {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'IDEMPOTENCY_KEY_REQUIRED':
      return HttpStatus.BAD_REQUEST;
    case 'UNAUTHENTICATED':
    case 'INVALID_CREDENTIALS':
    case 'INVALID_REFRESH_TOKEN':
    case 'TOTP_REQUIRED':
    case 'TOTP_INVALID':
      return HttpStatus.UNAUTHORIZED;
    case 'FORBIDDEN':
    case 'PASSWORD_CHANGE_REQUIRED':
    case 'TOTP_ENROLMENT_REQUIRED':
    case 'SIGNING_GRANT_REQUIRED':
    case 'SIGNING_GRANT_INVALID':
      return HttpStatus.FORBIDDEN;
    case 'NOT_FOUND':
      return HttpStatus.NOT_FOUND;
    case 'CONFLICT':
    case 'DUPLICATE':
    case 'VERSION_CONFLICT':
    case 'TRANSITION_REFUSED':
      return HttpStatus.CONFLICT;
    case 'PAYLOAD_TOO_LARGE':
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    case 'IDEMPOTENCY_KEY_REUSED':
    case 'UNPROCESSABLE':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'RATE_LIMITED':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'INTERNAL':
      return HttpStatus.INTERNAL_SERVER_ERROR;
    case 'DATABASE_UNAVAILABLE':
      return HttpStatus.SERVICE_UNAVAILABLE;
    default: {
      const unhandled: never = code;
      throw new Error(`no HTTP status for error code ${String(unhandled)}`);
    }
  }
}

export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  details: ErrorDetail[];
  [extra: string]: unknown;
}

/** The answer to `error`, as this filter sends it (and as a batch lists it for one of its items). */
export function errorBody(error: DomainError): ErrorBody {
  return { statusCode: statusOf(error.code), code: error.code, message: error.message, details: error.details, ...error.extra };
}

/** Framework exceptions (404 route, 413 body, 401 from passport…) mapped onto our codes. */
function fromHttpException(e: HttpException): DomainError {
  if (e instanceof ThrottlerException) return new DomainError('RATE_LIMITED', '请求过于频繁，请稍后再试');
  return fromStatus(e.getStatus());
}

/** The answer for a status a framework or middleware chose. */
function fromStatus(status: number): DomainError {
  switch (status) {
    case 400:
      return new DomainError('VALIDATION_FAILED', '请求格式有误');
    case 401:
      return new DomainError('UNAUTHENTICATED', '未登录或登录已失效');
    case 403:
      return DomainError.forbidden();
    case 404:
      return new DomainError('NOT_FOUND', '请求的资源不存在');
    case 413:
      return new DomainError('PAYLOAD_TOO_LARGE', '上传内容超过大小限制');
    case 415:
      return new DomainError('UNSUPPORTED_MEDIA_TYPE', '不支持的文件类型');
    case 429:
      return new DomainError('RATE_LIMITED', '请求过于频繁，请稍后再试');
    // Raised by the readiness check (terminus): the database is the one dependency it checks.
    case 503:
      return new DomainError('DATABASE_UNAVAILABLE', '数据库暂时不可用，请稍后重试');
    default:
      return status >= 500 ? new DomainError('INTERNAL', '服务器内部错误') : new DomainError('UNPROCESSABLE', '请求无法处理');
  }
}

/** The single place that turns errors into HTTP answers of one shape. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('DomainErrorFilter');

  constructor(@Optional() private readonly audit?: AuditService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let error: DomainError;
    if (exception instanceof DomainError) error = exception;
    else if (exception instanceof HttpException) error = fromHttpException(exception);
    // A client's own network error (a body cut off by ECONNRESET) is the client's, not the database's.
    else error = fromClientError(exception) ?? this.databaseUnavailable(exception) ?? this.internal(exception);
    const body = errorBody(error);
    if (body.statusCode === 503) res.setHeader('Retry-After', '5');
    if (body.statusCode === 403) this.auditDenied(host.switchToHttp().getRequest<Request & { user?: AuthUser }>(), body);
    res.status(body.statusCode).json(body);
  }

  /** A signed-in user refused a route (403) is a security event: audited as `access.denied`, without delaying the answer. */
  private auditDenied(req: Request & { user?: AuthUser }, body: ErrorBody): void {
    if (!this.audit || !req.user?.countyId) return;
    const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
    this.audit
      .record(req.user, 'access.denied', 'route', null, { method: req.method, route, code: body.code })
      .catch((e: unknown) => this.logger.warn(`access.denied not audited: ${e instanceof Error ? e.message : String(e)}`));
  }

  private databaseUnavailable(exception: unknown): DomainError | null {
    if (!isDatabaseUnavailable(exception)) return null;
    this.logger.warn(`database unavailable: ${exception instanceof Error ? exception.message : String(exception)}`);
    return new DomainError('DATABASE_UNAVAILABLE', '数据库暂时不可用，请稍后重试');
  }

  private internal(exception: unknown): DomainError {
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return new DomainError('INTERNAL', '服务器内部错误');
  }
}

/** What the body parsers say of a body, by their `type`. */
const BODY_ERRORS: Record<string, (e: { limit?: unknown }) => DomainError> = {
  'entity.parse.failed': () => new DomainError('VALIDATION_FAILED', '请求体不是有效的 JSON'),
  'entity.too.large': ({ limit }) =>
    new DomainError('PAYLOAD_TOO_LARGE', typeof limit === 'number' ? `请求体超过大小限制（${Math.floor(limit / 1024)} KB）` : '请求体超过大小限制'),
  'parameters.too.many': () => new DomainError('PAYLOAD_TOO_LARGE', '表单参数过多'),
  'charset.unsupported': () => new DomainError('UNSUPPORTED_MEDIA_TYPE', '请求体须为 UTF-8 编码'),
  'encoding.unsupported': () => new DomainError('UNSUPPORTED_MEDIA_TYPE', '不支持的请求体压缩格式'),
};

/**
 * A client error raised outside Nest's exceptions: the body parsers' and
 * busboy's `http-errors` (they carry `expose` and a 4xx status). Anything
 * else is ours to fix and stays a 500.
 */
function fromClientError(e: unknown): DomainError | null {
  if (typeof e !== 'object' || e === null) return null;
  const { type, status, expose } = e as { type?: unknown; status?: unknown; expose?: unknown };
  if (typeof type === 'string' && Object.hasOwn(BODY_ERRORS, type)) return BODY_ERRORS[type](e);
  return expose === true && typeof status === 'number' && status >= 400 && status < 500 ? fromStatus(status) : null;
}
