import type { ProblemItemEventType } from '../../../workflows/problem-item/problem-item.types';

/**
 * Events POST /api/items/batch-events applies to many items at once: the
 * reviewer's and inspector's decisions whose input can be the same for every
 * item (a 审核确认 with one 整改措施/责任人/时限, 验收销号, 督查通过, the
 * extension decisions, and the send-backs with one reason). Left out on
 * purpose: what the investigator or rectifier does (SUBMIT, SUBMIT_RECTIFICATION
 * with its photos of that household, REQUEST_EXTENSION, REPORT_PROGRESS),
 * what is a judgement about one item (ESCALATE, MARK_LONG_TERM with its plan,
 * REOPEN by an inspector) and what removes or unsigns (DISCARD, WITHDRAW).
 *
 * Free of dependencies: the console reads the same list.
 */
export const ITEM_BATCH_EVENT_TYPES = [
  'CONFIRM',
  'RETURN',
  'DISMISS',
  'APPROVE_EXTENSION',
  'DENY_EXTENSION',
  'ACCEPT',
  'REJECT_RECTIFICATION',
  'SPOT_CHECK_PASS',
] as const satisfies readonly ProblemItemEventType[];

export type ItemBatchEventType = (typeof ITEM_BATCH_EVENT_TYPES)[number];

/** At most this many items per batch request. */
export const ITEM_BATCH_MAX = 200;
