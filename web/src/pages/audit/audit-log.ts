import type { Schemas } from '../../api/client';

export type AuditEvent = Schemas['AuditEventResponse'];

/** What each recorded action is called (the actions written by src/**: audit.record). */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'user.create': '新建用户',
  'user.reset_password': '重置密码',
  'user.deactivate': '停用用户',
  'user.reactivate': '重新启用用户',
  'user.update': '修改用户信息',
  'user.unlock': '解除账号锁定',
  'user.roles_changed': '角色变更',
  'role_grant.propose': '申请授予角色',
  'role_grant.approve': '批准授予角色',
  'role_grant.reject': '驳回授予角色',
  'security.password_policy_changed': '修改密码策略',
  'auth.login': '登录',
  'auth.login_failed': '登录失败',
  'auth.logout': '退出登录',
  'auth.password_changed': '修改密码',
  'auth.signing_grant_issued': '签字确认',
  'auth.signing_grant_refused': '签字确认被拒绝',
  'access.denied': '越权访问被拒绝',
  'signature.verification_failed': '签字链校验未通过',
  'audit.purge': '清理过期审计记录',
  'auth.account_locked': '账号锁定',
  'auth.account_unlocked': '锁定到期解除',
  'org_unit.create': '新建单位',
  'org_unit.set_coverage': '设置督查组负责范围',
  'item.view_full_id': '查看完整身份证号码',
  'ledger.export_full_id': '导出含完整身份证号码的台账',
  'ledger.import': '导入问题台账',
  'campaign.sectors_changed': '设置专项行动的行业分工',
};

export const AUDIT_SUBJECT_LABELS: Record<string, string> = {
  user: '用户',
  org_unit: '单位',
  item: '问题',
  campaign: '专项行动',
  password_policy: '密码策略',
};

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action;
}

export interface AuditFilters {
  /** An action, or a prefix ending in `.` (e.g. `item.`). */
  action?: string;
  actorId?: string;
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

/** The query GET /api/audit-events takes for the filters; `before` pages further back than `to`. */
export function auditQuery(f: AuditFilters, limit: number, before?: string) {
  return {
    limit,
    ...(f.action ? { action: f.action } : {}),
    ...(f.actorId ? { actorId: f.actorId } : {}),
    ...(f.from ? { from: new Date(`${f.from}T00:00:00+08:00`).toISOString() } : {}),
    ...(before ? { before } : f.to ? { before: beforeForTo(f.to) } : {}),
  };
}

/** Older events may exist only when the last page came back full. */
export function nextBefore(lastPage: readonly AuditEvent[], pageSize: number): string | undefined {
  return lastPage.length === pageSize ? lastPage[lastPage.length - 1].createdAt : undefined;
}
