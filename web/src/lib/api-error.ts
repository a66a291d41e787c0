/** A refusal from the API in its one error shape: `{ statusCode, code, message, details }`. */
export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Network failure or no answer at all (offline, server down). */
  static offline(): ApiError {
    return new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试');
  }
}

/** Turns any response body into an ApiError; bodies that are not our error shape still get a Chinese message. */
export function toApiError(status: number, body: unknown): ApiError {
  if (body && typeof body === 'object' && 'code' in body && 'message' in body) {
    const b = body as { code: unknown; message: unknown; details?: unknown };
    const details = Array.isArray(b.details)
      ? b.details.filter((d): d is FieldError => !!d && typeof d === 'object' && typeof d.field === 'string' && typeof d.message === 'string')
      : [];
    return new ApiError(status, String(b.code), String(b.message), details, body as Record<string, unknown>);
  }
  return new ApiError(status, status >= 500 ? 'INTERNAL' : 'UNKNOWN', status >= 500 ? '服务器暂时无法处理，请稍后再试' : `请求失败（${status}）`);
}

/** Field errors keyed by the form field they belong to (`details[].field`, first message wins). */
export function fieldErrorsOf(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiError) for (const d of err.details) out[d.field] ??= d.message;
  return out;
}

export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error && err.message) return err.message;
  return '操作失败';
}
