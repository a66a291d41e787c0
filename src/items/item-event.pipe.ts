import { Injectable, PipeTransform } from '@nestjs/common';
import { Clock } from '../common/clock';
import { createValidationPipe, validationFailed } from '../common/pipes/validation.pipe';
import { ItemEventDto } from './dto/item.dto';
import { ITEM_EVENT_FIELD_LABELS, readItemEventPayload, type ItemEventPayload } from './dto/item-event.payloads';

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
