export const ROLES = ['investigator', 'township_leader', 'county_office', 'department_staff', 'inspector', 'admin', 'auditor'] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  investigator: '排查人',
  township_leader: '乡镇分管负责人',
  county_office: '县巩固办',
  department_staff: '县直行业部门',
  inspector: '督查组',
  admin: '系统管理员',
  auditor: '审计员',
};

/** Roles whose scope is the whole county. */
export const COUNTY_WIDE_ROLES: readonly Role[] = ['county_office', 'admin', 'auditor'];

/** Roles that sign (items, campaigns, reports); only they upload evidence. Administration and audit never sign. */
export const SIGNING_ROLES: readonly Role[] = ['investigator', 'township_leader', 'county_office', 'department_staff', 'inspector'];
