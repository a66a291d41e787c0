import type { Role } from '../auth/roles';

/** The one password of every demo account (demo mode only; it satisfies the password policy). */
export const DEMO_PASSWORD = 'Demo@2021';

/** The demo county's accounts. In demo mode they are exempt from password expiry and forced change. */
export const DEMO_USERS: Array<{ username: string; displayName: string; unit: string; roles: Role[]; phone?: string }> = [
  { username: 'county', displayName: '王建国（县巩固办）', unit: 'county', roles: ['county_office'] },
  { username: 'leader', displayName: '李明（城关镇分管负责人）', unit: 'chengguan', roles: ['township_leader'] },
  { username: 'cadre', displayName: '张伟（大同村）', unit: 'datong', roles: ['investigator'] },
  { username: 'cadre2', displayName: '刘芳（七里庙村）', unit: 'qilimiao', roles: ['investigator'] },
  { username: 'leader2', displayName: '陈刚（河口镇分管负责人）', unit: 'hekou', roles: ['township_leader'] },
  { username: 'cadre3', displayName: '赵磊（河口镇东岗村）', unit: 'hekou_a', roles: ['investigator'] },
  // 乡镇干部: an investigator of the township itself, who records and imports for every village of 城关镇.
  { username: 'towncadre', displayName: '吴杰（城关镇）', unit: 'chengguan', roles: ['investigator'] },
  { username: 'dept', displayName: '孙丽（住建局）', unit: 'zhujian', roles: ['department_staff'] },
  { username: 'inspector', displayName: '周强（第一督查组）', unit: 'ducha1', roles: ['inspector'] },
  { username: 'admin', displayName: '系统管理员', unit: 'county', roles: ['admin'] },
  { username: 'security', displayName: '郑洁（安全管理员）', unit: 'county', roles: ['security_admin'] },
  { username: 'auditor', displayName: '吴敏（审计）', unit: 'county', roles: ['auditor'] },
];

export const DEMO_USERNAMES: ReadonlySet<string> = new Set(DEMO_USERS.map((u) => u.username));
