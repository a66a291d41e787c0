export const ROLES = ['investigator', 'township_leader', 'county_office', 'department_staff', 'inspector', 'admin', 'security_admin', 'auditor'] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  investigator: '排查人',
  township_leader: '乡镇分管负责人',
  county_office: '县巩固办',
  department_staff: '县直行业部门',
  inspector: '督查组',
  admin: '系统管理员',
  security_admin: '安全管理员',
  auditor: '审计员',
};

/** Roles whose scope is the whole county. */
export const COUNTY_WIDE_ROLES: readonly Role[] = ['county_office', 'admin', 'security_admin', 'auditor'];

/** Roles that sign (items, campaigns, reports); only they upload evidence. Administration, security and audit never sign. */
export const SIGNING_ROLES: readonly Role[] = ['investigator', 'township_leader', 'county_office', 'department_staff', 'inspector'];

/**
 * 三权分立 (GB/T 22239 三员): the system administrator (accounts, org units),
 * the security administrator (roles, unlocking, password policy) and the
 * auditor (the audit log). Each is granted alone — never with another role —
 * so none can do another's work or sign anything.
 */
export const SEPARATED_ROLES: readonly Role[] = ['admin', 'security_admin', 'auditor'];

/**
 * Roles granted only by two people: an admin proposes, a security admin
 * approves (POST /api/role-grants). The three 三员 roles, and county_office,
 * which runs campaigns and sees full ID numbers county-wide. The others are set
 * by a security admin alone; any role may be revoked by a security admin alone.
 */
export const PRIVILEGED_ROLES: readonly Role[] = ['county_office', 'admin', 'security_admin', 'auditor'];

/** Kinds of org unit (as src/orgs/org-unit.entity.ts names them; repeated here so the console can bundle this plain module). */
export type RoleUnitKind = 'county' | 'township' | 'village' | 'department' | 'supervision_group';

/** Which kinds of org unit each role may belong to. */
export const ROLE_UNIT_KINDS: Record<Role, readonly RoleUnitKind[]> = {
  investigator: ['village', 'township', 'department'],
  township_leader: ['township'],
  county_office: ['county'],
  department_staff: ['department'],
  inspector: ['supervision_group'],
  admin: ['county'],
  security_admin: ['county'],
  auditor: ['county'],
};

/**
 * Why a member of a unit of `unitKind` cannot hold exactly `roles`, naming the
 * role at fault, or null when they can. An empty set is allowed (an account
 * whose roles a security admin has yet to set).
 */
export function roleSetProblem(roles: readonly Role[], unitKind: RoleUnitKind | undefined): { role: Role; message: string } | null {
  const separated = roles.find((r) => SEPARATED_ROLES.includes(r));
  if (separated && roles.length > 1) return { role: separated, message: `${ROLE_LABELS[separated]}只能单独授予，不能与其他角色同时持有` };
  if (unitKind) {
    const misplaced = roles.find((r) => !ROLE_UNIT_KINDS[r].includes(unitKind));
    if (misplaced) return { role: misplaced, message: `${ROLE_LABELS[misplaced]}不能授予该单位的人员` };
  }
  return null;
}
