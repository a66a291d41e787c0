import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { IdempotentRequest } from '../../idempotency/idempotency.service';

/** The Idempotency-Key header with what identifies the request (method, path, body). */
export const Idempotent = createParamDecorator((_: unknown, ctx: ExecutionContext): IdempotentRequest => {
  const req = ctx.switchToHttp().getRequest<Request>();
  const key = req.header('idempotency-key');
  return { key: key === undefined || key === '' ? undefined : key, method: req.method, route: req.path, body: req.body };
});
