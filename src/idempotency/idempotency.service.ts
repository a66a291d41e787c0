import { assertIdempotencyKeyFormat, IDEMPOTENCY_KEY_HEADER } from '../common/decorators/idempotent-request.decorator';
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

  /**
   * `singleStatement`: the work writes with one statement (UnitOfWork.runSingleStatement),
   * so without a key it runs without a transaction; with a key, the record and the work share one.
   */
  async run<T>(user: AuthUser, request: IdempotentRequest, work: (tx: EntityManager) => Promise<T>, options: { singleStatement?: boolean } = {}): Promise<T> {
    if (request.key === undefined) return options.singleStatement ? this.uow.runSingleStatement(work) : this.uow.run(work);
    assertIdempotencyKeyFormat(request.key);
    const key = request.key;
    const fingerprint = fingerprintOf(request);
    return this.uow.run(async (tx) => {
      const inserted: unknown[] = await tx.query(
        `INSERT INTO idempotency_records (user_id, key, county_id, fingerprint, status_code, body)
         VALUES ($1, $2, $3, $4, 0, 'null'::jsonb) ON CONFLICT DO NOTHING RETURNING 1`,
        [user.id, key, user.countyId, fingerprint],
      );
      if (inserted.length === 0) {
        const first = await tx.findOneOrFail(IdempotencyRecord, { where: { userId: user.id, key } });
        if (first.fingerprint !== fingerprint) throw keyReused();
        return first.body as T;
      }
      const result = await work(tx);
      await tx.query(`UPDATE idempotency_records SET status_code = 200, body = $3::jsonb WHERE user_id = $1 AND key = $2`, [
        user.id,
        key,
        JSON.stringify(result),
      ]);
      return result;
    });
  }

  /**
   * A request made of many independent state changes (a batch sign-off),
   * idempotent under one key although each part commits in its own
   * transaction. One transaction around all parts would hold a pooled
   * connection while every part takes another (and lose the parts' own
   * commits on a crash); instead:
   *
   * - the key is claimed first, in a committed row with `status_code = 0`, so
   *   the same key with another body is refused (422) even after a batch
   *   that died midway;
   * - each part runs as an ordinary idempotent request under a key derived
   *   from the batch key and the part (`part(name, request)`): a retry of a
   *   batch that died midway, or a concurrent duplicate, replays the parts
   *   already committed (or waits for the one in flight) and never signs
   *   twice; parts that failed wrote nothing and are simply tried again;
   * - the answer is recorded once every part has run; from then on a retry
   *   returns it without running anything. When two runs of the same batch
   *   race, the first to finish records its answer and the other returns it.
   *
   * An unexpected error (not a DomainError of a part) leaves the claim
   * pending, so the client's retry runs the batch again on the same terms.
   */
  async batch<T>(
    user: AuthUser,
    request: IdempotentRequest,
    work: (part: (name: string, request: Omit<IdempotentRequest, 'key'>) => IdempotentRequest) => Promise<T>,
  ): Promise<T> {
    const batchKey = request.key;
    if (batchKey === undefined) return work((_, r) => ({ ...r, key: undefined }));
    assertIdempotencyKeyFormat(batchKey);
    const fingerprint = fingerprintOf(request);
    const first = await this.uow.run(async (tx) => {
      await tx.query(
        `INSERT INTO idempotency_records (user_id, key, county_id, fingerprint, status_code, body)
         VALUES ($1, $2, $3, $4, 0, 'null'::jsonb) ON CONFLICT DO NOTHING`,
        [user.id, batchKey, user.countyId, fingerprint],
      );
      return tx.findOneOrFail(IdempotencyRecord, { where: { userId: user.id, key: batchKey } });
    });
    if (first.fingerprint !== fingerprint) throw keyReused();
    if (first.statusCode !== 0) return first.body as T;

    const result = await work((name, r) => ({ ...r, key: derivedKey(batchKey, name) }));

    return this.uow.run(async (tx) => {
      const recorded: unknown[] = await tx.query(
        `UPDATE idempotency_records SET status_code = 200, body = $3::jsonb
          WHERE user_id = $1 AND key = $2 AND status_code = 0 RETURNING 1`,
        [user.id, batchKey, JSON.stringify(result)],
      );
      if (recordedRows(recorded) > 0) return result;
      return (await tx.findOneOrFail(IdempotencyRecord, { where: { userId: user.id, key: batchKey } })).body as T;
    });
  }
}

function fingerprintOf(request: IdempotentRequest): string {
  return createHash('sha256')
    .update(canonicalJson({ method: request.method, route: request.route, body: request.body ?? null }))
    .digest('hex');
}

function keyReused(): DomainError {
  return new DomainError('IDEMPOTENCY_KEY_REUSED', '该 Idempotency-Key 已用于另一个不同的请求', [
    { field: IDEMPOTENCY_KEY_HEADER, message: 'Idempotency-Key 已被使用' },
  ]);
}

/** The key of one part of a batch: fixed by the batch key and the part, within KEY_RULE, apart from keys clients make. */
export function derivedKey(batchKey: string, part: string): string {
  return `batch.${createHash('sha256').update(`${batchKey}\n${part}`).digest('hex')}`;
}

/** Rows an UPDATE … RETURNING answered (pg gives [rows, count] through TypeORM's query()). */
function recordedRows(result: unknown[]): number {
  return Array.isArray(result[0]) ? (result[0] as unknown[]).length : result.length;
}
