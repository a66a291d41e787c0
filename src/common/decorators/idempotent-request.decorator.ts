import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';
import type { IdempotentRequest } from '../../idempotency/idempotency.service';
import { DomainError } from '../errors/domain-error';

/** The one name of the header that makes a state change safe to retry. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

const KEY_RULE = /^[A-Za-z0-9._:-]{8,128}$/;

/** 400 naming the header for a key of any other shape (a repeated header arrives joined with commas, and fails too). */
export function assertIdempotencyKeyFormat(key: string): void {
  if (!KEY_RULE.test(key)) throw DomainError.validation(IDEMPOTENCY_KEY_HEADER, 'Idempotency-Key 须为 8–128 位字母、数字或 ._:- 字符');
}

/**
 * The Idempotency-Key header with what identifies the request (method, path,
 * body). A key of the wrong shape is refused here, before the handler runs.
 */
export const Idempotent = createParamDecorator((_: unknown, ctx: ExecutionContext): IdempotentRequest => {
  const req = ctx.switchToHttp().getRequest<Request>();
  const raw = req.header(IDEMPOTENCY_KEY_HEADER);
  const key = raw === undefined || raw === '' ? undefined : raw;
  if (key !== undefined) assertIdempotencyKeyFormat(key);
  return { key, method: req.method, route: req.path, body: req.body };
});

/** Documents the header on every operation that takes it. */
export const ApiIdempotencyKey = (): MethodDecorator =>
  ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description: '8–128 位字母、数字或 ._:- 字符。重试同一请求时携带相同的键：只执行（签字）一次，重试返回第一次的结果',
  });
