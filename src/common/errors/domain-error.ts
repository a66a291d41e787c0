import { ErrorCode } from './error-codes';

export interface ErrorDetail {
  field: string;
  message: string;
}

/**
 * The one error type domain code throws. `message` is what the user reads
 * (Chinese); `code` is the stable identifier clients branch on.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Extra machine-readable facts, e.g. the item's state and allowed actions on a refused transition. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string): DomainError {
    return new DomainError('NOT_FOUND', `${what}不存在`);
  }

  static validation(field: string, message: string): DomainError {
    return new DomainError('VALIDATION_FAILED', `请求参数有误：${message}`, [{ field, message }]);
  }

  static forbidden(message = '无权执行此操作'): DomainError {
    return new DomainError('FORBIDDEN', message);
  }
}
