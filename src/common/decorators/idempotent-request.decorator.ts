import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';
import type { IdempotentRequest } from '../../idempotency/idempotency.service';

/** The one name of the header that makes a state change safe to retry. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** The Idempotency-Key header with what identifies the request (method, path, body). */
export const Idempotent = createParamDecorator((_: unknown, ctx: ExecutionContext): IdempotentRequest => {
  const req = ctx.switchToHttp().getRequest<Request>();
  const key = req.header(IDEMPOTENCY_KEY_HEADER);
  return { key: key === undefined || key === '' ? undefined : key, method: req.method, route: req.path, body: req.body };
});

/** Documents the header on every operation that takes it. */
export const ApiIdempotencyKey = (): MethodDecorator =>
  ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description: '8–128 位字母、数字或 ._:- 字符。重试同一请求时携带相同的键：只执行（签字）一次，重试返回第一次的结果',
  });
