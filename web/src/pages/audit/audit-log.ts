import type { Schemas } from '../../api/client';

export type AuditEvent = Schemas['AuditEventResponse'];

/** What each recorded action is called (the actions written by src/**: audit.record). */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'user.create': '新建用户',
  'user.reset_password': '重置密码',
  'user.deactivate': '停用用户',
  'org_unit.create': '新建单位',
  'org_unit.set_coverage': '设置督查组负责范围',
  'item.view_full_id': '查看完整身份证号码',
  'ledger.export_full_id': '导出含完整身份证号码的台账',
  'ledger.import': '导入问题台账',
};

export const AUDIT_SUBJECT_LABELS: Record<string, string> = {
  user: '用户',
  org_unit: '单位',
  item: '问题',
  campaign: '专项行动',
};

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action;
}

export interface AuditFilters {
  action?: string;
  /** A user id or its beginning. */
  actor?: string;
  /** `YYYY-MM-DD`, inclusive, in China's calendar. */
  from?: string;
  to?: string;
}

/** China's calendar date (UTC+8) of an instant. */
export function chinaDate(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The instant the day after `date` begins in China: the `before` that makes `to` inclusive. */
export function beforeForTo(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + 86_400_000).toISOString();
}

/** The loaded events that match the filters the server does not apply itself. */
export function filterAuditEvents(events: readonly AuditEvent[], f: AuditFilters): AuditEvent[] {
  const actor = f.actor?.trim().toLowerCase();
  return events.filter((e) => {
    if (f.action && e.action !== f.action) return false;
    if (actor && !(e.actorId ?? '').toLowerCase().startsWith(actor)) return false;
    const day = chinaDate(e.createdAt);
    if (f.from && day < f.from) return false;
    if (f.to && day > f.to) return false;
    return true;
  });
}

/** Whether paging further back can still find events on or after `from`. */
export function mayHaveOlder(lastPage: readonly AuditEvent[], pageSize: number, from?: string): boolean {
  if (lastPage.length < pageSize) return false;
  const oldest = lastPage[lastPage.length - 1];
  return !from || chinaDate(oldest.createdAt) >= from;
}
