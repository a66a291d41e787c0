import type { Schemas } from '../../api/client';
import type { OrgUnitKind } from '../../lib/org-tree';

export type Role = NonNullable<Schemas['CreateUserDto']['roles']>[number];

/** The server's own role rules (src/auth/roles.ts, a plain module bundled into the console). */
import { PRIVILEGED_ROLES, ROLE_LABELS, ROLE_UNIT_KINDS, roleSetProblem, SEPARATED_ROLES } from '../../../../src/auth/roles';

export { PRIVILEGED_ROLES, ROLE_LABELS, ROLE_UNIT_KINDS, SEPARATED_ROLES };

const ALL_ROLES = Object.keys(ROLE_LABELS) as Role[];

/** The roles a member of a unit of `kind` may hold (all roles while no unit is chosen). */
export function rolesForUnitKind(kind: OrgUnitKind | undefined): Role[] {
  return kind ? ALL_ROLES.filter((r) => ROLE_UNIT_KINDS[r].includes(kind)) : ALL_ROLES;
}

/** Why this set of roles cannot be held by a member of a unit of `kind`, or null when it can (no role at all is fine). */
export function rolesProblem(roles: readonly Role[], kind: OrgUnitKind | undefined): string | null {
  return roleSetProblem(roles, kind)?.message ?? null;
}

/**
 * What a security admin may do with `role` for a user holding `held`: keep or
 * remove anything; add an ordinary role; a privileged one only through an
 * admin's request that they approve.
 */
export function directlySettable(role: Role, held: readonly Role[]): boolean {
  return held.includes(role) || !PRIVILEGED_ROLES.includes(role);
}

/** The part of the server's password policy the console can check (see lib/password-rules). */
export { passwordProblem } from '../../lib/password-rules';
