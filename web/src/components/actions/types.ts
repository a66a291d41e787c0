import type { Schemas } from '../../api/client';

type Item = Schemas['ItemWithActionsResponse'];

/** What the action buttons and forms read from an item (GET /api/items/{id}, inbox rows, answers of writes). */
export type ActionableItem = Pick<Item, 'id' | 'number' | 'state' | 'fixedOnSite' | 'measures' | 'deadline'> & {
  availableActions: readonly string[];
} & Partial<Pick<Item, 'description' | 'household' | 'problemType' | 'plannedDeadline' | 'plannedRectifierName' | 'extension' | 'actingFor'>>;

/** The answer of POST /api/items/{id}/events: the item as it is now, or `deleted: true` after DISCARD. */
export type ItemActionResult = Item | Schemas['DiscardedItemResponse'];

export function isDeleted(r: ItemActionResult): r is Schemas['DiscardedItemResponse'] {
  return 'deleted' in r && r.deleted === true;
}
