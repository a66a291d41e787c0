import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { DomainError } from '../common/errors/domain-error';
import { UnitOfWork } from '../database/unit-of-work';
import { canonicalJson } from '../signatures/signature-hash';
import { IdempotencyRecord } from './idempotency-record.entity';

export interface IdempotentRequest {
  /** The Idempotency-Key header, if the client sent one. */
  key: string | undefined;
  /** What identifies the request besides the key: method + route + body. */
  method: string;
  route: string;
  body: unknown;
}

const KEY_RULE = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Runs a state change at most once per (user, Idempotency-Key). The record is
 * inserted first, inside the change's own transaction: a concurrent retry
 * blocks on the primary key until the first attempt commits (then replays
 * its answer) or rolls back (then runs itself). A key reused for a different
 * request is refused with 422.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly uow: UnitOfWork) {}

  async run<T>(
    user: AuthUser,
    request: IdempotentRequest,
    work: (tx: EntityManager) => Promise<T>,
  ): Promise<T> {
    if (request.key === undefined) return this.uow.run(work);
    if (!KEY_RULE.test(request.key)) {
      throw DomainError.validation('Idempotency-Key', 'Idempotency-Key 须为 8–128 位字母、数字或 ._:- 字符');
    }
    const key = request.key;
    const fingerprint = createHash('sha256')
      .update(canonicalJson({ method: request.method, route: request.route, body: request.body ?? null }))
      .digest('hex');
    return this.uow.run(async (tx) => {
      const inserted: unknown[] = await tx.query(
        `INSERT INTO idempotency_records (user_id, key, county_id, fingerprint, status_code, body)
         VALUES ($1, $2, $3, $4, 0, 'null'::jsonb) ON CONFLICT DO NOTHING RETURNING 1`,
        [user.id, key, user.countyId, fingerprint],
      );
      if (inserted.length === 0) {
        const first = await tx.findOneOrFail(IdempotencyRecord, { where: { userId: user.id, key } });
        if (first.fingerprint !== fingerprint) {
          throw new DomainError('IDEMPOTENCY_KEY_REUSED', '该 Idempotency-Key 已用于另一个不同的请求', [
            { field: 'Idempotency-Key', message: 'Idempotency-Key 已被使用' },
          ]);
        }
        return first.body as T;
      }
      const result = await work(tx);
      await tx.update(IdempotencyRecord, { userId: user.id, key }, { statusCode: 200, body: result as object });
      return result;
    });
  }
}
