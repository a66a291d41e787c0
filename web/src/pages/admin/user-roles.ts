import type { Schemas } from '../../api/client';
import type { OrgUnitKind } from '../../lib/org-tree';

export type Role = Schemas['CreateUserDto']['roles'][number];

/** The server's own labels (src/auth/roles.ts, a plain module bundled into the console). */
import { ROLE_LABELS } from '../../../../src/auth/roles';

export { ROLE_LABELS };

/** Which kinds of org unit each role may belong to (the server's rule in src/users/users.service.ts). */
export const ROLE_UNIT_KINDS: Record<Role, OrgUnitKind[]> = {
  investigator: ['village', 'township', 'department'],
  township_leader: ['township'],
  county_office: ['county'],
  department_staff: ['department'],
  inspector: ['supervision_group'],
  admin: ['county'],
  auditor: ['county'],
};

/** Roles granted only on their own: an admin signs nothing, an auditor changes nothing. */
export const EXCLUSIVE_ROLES: Role[] = ['admin', 'auditor'];

const ALL_ROLES = Object.keys(ROLE_LABELS) as Role[];

/** The roles a member of a unit of `kind` may hold (all roles while no unit is chosen). */
export function rolesForUnitKind(kind: OrgUnitKind | undefined): Role[] {
  return kind ? ALL_ROLES.filter((r) => ROLE_UNIT_KINDS[r].includes(kind)) : ALL_ROLES;
}

/** Why this set of roles cannot be granted to a member of a unit of `kind`, or null when it can. */
export function rolesProblem(roles: readonly Role[], kind: OrgUnitKind | undefined): string | null {
  if (roles.length === 0) return '请至少选择一个角色';
  const exclusive = roles.find((r) => EXCLUSIVE_ROLES.includes(r));
  if (exclusive && roles.length > 1) return `${ROLE_LABELS[exclusive]}只能单独授予，不能与其他角色同时授予`;
  if (kind) {
    const misplaced = roles.find((r) => !ROLE_UNIT_KINDS[r].includes(kind));
    if (misplaced) return `${ROLE_LABELS[misplaced]}不能授予该单位的人员`;
  }
  return null;
}

/** The part of the server's password policy the console can check (see lib/password-rules). */
export { passwordProblem } from '../../lib/password-rules';
