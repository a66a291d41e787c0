import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { DomainError } from '../common/errors/domain-error';
import { errorBody } from '../common/errors/domain-error.filter';
import { IdempotencyService, IdempotentRequest } from '../idempotency/idempotency.service';
import type { ItemBatchEvent } from './item-event.pipe';
import { ItemBatchResponse, ItemBatchResultResponse, ItemWithActionsResponse } from './item.response';
import { ItemWriteService } from './item-write.service';

/**
 * Batch sign-off (批量审批): one event, with one payload, applied to many
 * items. Each item is exactly a single POST /api/items/{id}/events (the same
 * write path, its own scope check, payload check, refusal, signature and
 * transaction), so a batch can do nothing a series of single calls could not,
 * and each item's outcome is the answer that call would have got. Items run
 * one after another: a batch is one reviewer's work and need not compete with
 * other callers for the pool.
 */
@Injectable()
export class ItemBatchService {
  constructor(
    private readonly writes: ItemWriteService,
    private readonly idempotency: IdempotencyService,
  ) {}

  async apply(user: AuthUser, batch: ItemBatchEvent, request: IdempotentRequest): Promise<ItemBatchResponse> {
    // Idempotency of the whole under one key, with one derived key per item: see IdempotencyService.batch.
    return this.idempotency.batch(user, request, async (part) => {
      const results: ItemBatchResultResponse[] = [];
      for (const itemId of batch.itemIds) {
        const single = part(itemId, { method: 'POST', route: `/api/items/${itemId}/events`, body: batch.payload });
        results.push(await this.applyOne(user, itemId, batch, single));
      }
      const succeeded = results.filter((r) => r.status === 200).length;
      return { type: batch.payload.type, results, succeeded, failed: results.length - succeeded };
    });
  }

  private async applyOne(user: AuthUser, itemId: string, batch: ItemBatchEvent, request: IdempotentRequest): Promise<ItemBatchResultResponse> {
    try {
      // No batchable event discards an item, so the answer is always the item.
      const item = (await this.writes.applyEvent(user, itemId, batch.payload, request)) as ItemWithActionsResponse;
      return { itemId, status: 200, item };
    } catch (e) {
      // Anything else (the database gone) fails the whole batch, unrecorded, so that a retry runs it again.
      if (!(e instanceof DomainError)) throw e;
      const error = errorBody(e);
      return { itemId, status: error.statusCode, error: error as ItemBatchResultResponse['error'] };
    }
  }
}
