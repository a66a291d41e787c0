import { ITEM_BATCH_MAX, type ItemBatchEventType } from '../../../src/items/dto/item-batch-events';
import { actionSpec, buildPayload, isInboxActionable, type ActionItem, type ActionSpec } from './item-actions';

/**
 * 批量审批 on 待办: which actions a selection of rows can take together, the
 * request of POST /api/items/batch-events, and what its answer means for each
 * row. The service decides item by item; this only offers what every selected
 * row offers.
 */

export { ITEM_BATCH_MAX };

/**
 * The batch actions the console offers: the forward steps a reviewer or an
 * inspector takes on many rows with one form. The service also takes the
 * send-backs (RETURN, DISMISS, …) in batch; the console keeps those per row,
 * where the reason is written for that item.
 */
export const CONSOLE_BATCH_ACTIONS = ['CONFIRM', 'ACCEPT', 'SPOT_CHECK_PASS'] as const satisfies readonly ItemBatchEventType[];
export type BatchAction = (typeof CONSOLE_BATCH_ACTIONS)[number];

/** A row as batch logic reads it. */
export interface BatchRow extends ActionItem {
  id: string;
  number: number;
  availableActions: readonly string[];
}

/** Whether a row can be part of some batch (its checkbox is enabled). */
export function isBatchable(row: BatchRow): boolean {
  return CONSOLE_BATCH_ACTIONS.some((a) => row.availableActions.includes(a));
}

/**
 * The batch actions every selected row offers. CONFIRM also needs the rows to
 * agree on 立行立改: an item fixed on the spot is confirmed without fields,
 * the others with the 四项清单, and one form cannot be both.
 */
export function batchActionsFor(rows: readonly BatchRow[]): BatchAction[] {
  if (rows.length === 0 || rows.length > ITEM_BATCH_MAX) return [];
  return CONSOLE_BATCH_ACTIONS.filter((a) => {
    if (!rows.every((r) => r.availableActions.includes(a))) return false;
    return a !== 'CONFIRM' || rows.every((r) => r.fixedOnSite === rows[0].fixedOnSite);
  });
}

/** The one form of a batch: the action's fields as for any one of the rows (they agree, batchActionsFor). */
export function batchSpec(action: BatchAction, rows: readonly BatchRow[]): ActionSpec {
  const spec = actionSpec(action, rows[0]);
  return { ...spec, label: `批量${spec.label}`, okText: `确认签字（${rows.length} 项）` };
}

export interface BatchRequest {
  type: BatchAction;
  itemIds: string[];
  [field: string]: unknown;
}

/** The body of POST /api/items/batch-events: the form's fields as a single event sends them, and the rows in table order. */
export function buildBatchRequest(spec: ActionSpec, values: Record<string, unknown>, rows: readonly BatchRow[]): BatchRequest {
  const payload = buildPayload(spec, values);
  return { ...payload, type: payload.type as BatchAction, itemIds: rows.map((r) => r.id) };
}

/** One slot of the answer, as the API gives it. */
export interface BatchResultSlot<TItem> {
  itemId: string;
  status: number;
  item?: TItem;
  error?: { message: string; code: string };
}

export interface BatchOutcome<TItem> {
  /** Items the action was applied to, as they are now. */
  done: TItem[];
  /** Rows refused, with the server's message. */
  failed: Array<{ itemId: string; number: number | null; message: string; code: string }>;
}

/** What happened to each row: applied (the item as it is now), or refused with the server's Chinese message. */
export function batchOutcome<TItem>(rows: readonly Pick<BatchRow, 'id' | 'number'>[], results: readonly BatchResultSlot<TItem>[]): BatchOutcome<TItem> {
  const numbers = new Map(rows.map((r) => [r.id, r.number]));
  const done: TItem[] = [];
  const failed: BatchOutcome<TItem>['failed'] = [];
  for (const r of results) {
    if (r.status === 200 && r.item) done.push(r.item);
    else
      failed.push({
        itemId: r.itemId,
        number: numbers.get(r.itemId) ?? null,
        message: r.error?.message ?? `操作失败（${r.status}）`,
        code: r.error?.code ?? 'UNKNOWN',
      });
  }
  return { done, failed };
}

/** The inbox after a batch: rows applied leave it unless they still wait on me (then they show as they are now); refused rows stay. */
export function inboxAfterBatch<TItem extends { id: string; availableActions: readonly string[] }>(rows: readonly TItem[], done: readonly TItem[]): TItem[] {
  const now = new Map(done.map((i) => [i.id, i]));
  return rows.flatMap((r) => {
    const after = now.get(r.id);
    if (!after) return [r];
    return isInboxActionable(after.availableActions) ? [after] : [];
  });
}

/** The summary line after a batch. */
export function batchSummary(label: string, outcome: BatchOutcome<unknown>): string {
  const { done, failed } = outcome;
  if (failed.length === 0) return `${label}：${done.length} 项已完成（已签字）`;
  if (done.length === 0) return `${label}：${failed.length} 项均未完成，原因见各行`;
  return `${label}：${done.length} 项已完成（已签字），${failed.length} 项未完成，原因见各行`;
}
