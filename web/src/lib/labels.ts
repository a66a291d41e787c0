import { PROBLEM_ITEM_STATE_LABELS } from '../../../workflows/problem-item/problem-item.types';
import type { Schemas } from '../api/client';

export type ItemState = Schemas['ItemResponse']['state'];
export type ItemAction = Schemas['ItemWithActionsResponse']['availableActions'][number];

/**
 * Item responses carry their own `stateLabel`; this table is for places that
 * only have the state name (filters, legends, a queued request). They are the
 * lifecycle's own labels (workflows/), bundled into the console.
 */
export const ITEM_STATE_LABELS: Readonly<Record<ItemState, string>> = PROBLEM_ITEM_STATE_LABELS;

/** antd Tag colors: waiting on someone is blue/orange, done is green, set aside is grey. */
export const ITEM_STATE_COLORS: Record<ItemState, string> = {
  draft: 'default',
  pending_review: 'processing',
  returned: 'warning',
  rectifying: 'gold',
  pending_acceptance: 'cyan',
  closed: 'success',
  dismissed: 'default',
  discarded: 'default',
};

/** What each workflow event is called on its button and in messages. */
export const ITEM_ACTION_LABELS: Record<ItemAction, string> = {
  EDIT: '修改',
  SUBMIT: '提交（排查签字）',
  DISCARD: '作废',
  WITHDRAW: '撤回',
  CONFIRM: '审核确认',
  RETURN: '退回',
  DISMISS: '不予认定',
  REPORT_PROGRESS: '报告进展',
  SUBMIT_RECTIFICATION: '提交整改',
  REQUEST_EXTENSION: '申请延期',
  APPROVE_EXTENSION: '同意延期',
  DENY_EXTENSION: '不同意延期',
  ESCALATE: '上报县直部门',
  MARK_LONG_TERM: '转为长期整改',
  ACCEPT: '验收销号',
  REJECT_RECTIFICATION: '验收不通过',
  SPOT_CHECK_PASS: '督查通过',
  REOPEN: '重新打开',
};

export function itemStateLabel(state: string): string {
  return ITEM_STATE_LABELS[state as ItemState] ?? state;
}

export function itemActionLabel(action: string): string {
  return ITEM_ACTION_LABELS[action as ItemAction] ?? action;
}

type Place = { orgUnit: { id: string; name: string } | null; township: { id: string; name: string } | null };

/** Where a problem is, as the ledger writes it: 乡镇 行政村, or the unit alone (township, department, county). */
export function itemPlace(item: Place): string {
  const unit = item.orgUnit?.name ?? '';
  if (item.township && item.orgUnit && item.township.id !== item.orgUnit.id) return `${item.township.name} ${unit}`;
  return unit || item.township?.name || '';
}
