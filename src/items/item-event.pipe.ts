import { Injectable, PipeTransform } from '@nestjs/common';
import { Clock } from '../common/clock';
import { createValidationPipe, validationFailed } from '../common/pipes/validation.pipe';
import { ItemBatchEventDto, ItemEventDto } from './dto/item.dto';
import type { ItemBatchEventType } from './dto/item-batch-events';
import { ITEM_EVENT_FIELD_LABELS, readItemEventPayload, type ItemEventPayload, type ItemEventPayloadOf } from './dto/item-event.payloads';

/**
 * The edge of POST /api/items/:id/events: the body is read once, as the
 * payload of its event type (ItemEventDto for each field's format,
 * ITEM_EVENT_PAYLOADS for which fields the event carries), and every problem
 * is a 400 naming the field in Chinese. What depends on the item itself is
 * checked once it is loaded (itemEventProblems).
 */
@Injectable()
export class ItemEventPipe implements PipeTransform<unknown, Promise<ItemEventPayload>> {
  private readonly formats = createValidationPipe(ITEM_EVENT_FIELD_LABELS);

  constructor(private readonly clock: Clock) {}

  async transform(body: unknown): Promise<ItemEventPayload> {
    const dto = (await this.formats.transform(body ?? {}, { type: 'body', metatype: ItemEventDto })) as ItemEventDto;
    const { payload, problems } = readItemEventPayload({ ...dto }, this.clock.today());
    if (!payload) throw validationFailed(problems, ITEM_EVENT_FIELD_LABELS);
    return payload;
  }
}

/** A batch as read at the edge: the items, and the one payload each of them gets. */
export interface ItemBatchEvent {
  itemIds: string[];
  payload: { [K in ItemBatchEventType]: ItemEventPayloadOf<K> }[ItemBatchEventType];
}

const BATCH_LABELS = { ...ITEM_EVENT_FIELD_LABELS, itemIds: '问题' };

/**
 * The edge of POST /api/items/batch-events: the same reading as a single
 * event (each field's format, then the event's row of ITEM_EVENT_PAYLOADS),
 * plus the list of items; only batchable types pass (ItemBatchEventDto).
 */
@Injectable()
export class ItemBatchEventPipe implements PipeTransform<unknown, Promise<ItemBatchEvent>> {
  private readonly formats = createValidationPipe(BATCH_LABELS);

  constructor(private readonly clock: Clock) {}

  async transform(body: unknown): Promise<ItemBatchEvent> {
    const { itemIds, ...event } = (await this.formats.transform(body ?? {}, { type: 'body', metatype: ItemBatchEventDto })) as ItemBatchEventDto;
    const { payload, problems } = readItemEventPayload({ ...event }, this.clock.today());
    if (!payload) throw validationFailed(problems, BATCH_LABELS);
    return { itemIds, payload: payload as ItemBatchEvent['payload'] };
  }
}
