import { ROLE_LABELS } from '../auth/roles';
import { mapOrgUnit } from '../orgs/org-unit.mapper';
import type { UserAccount } from './users.service';
import { UserResponse } from './user.response';

export function mapUser({ user: u, pendingRoles, locked }: UserAccount): UserResponse {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    phone: u.phone,
    roles: u.roles,
    roleLabels: u.roles.map((r) => ROLE_LABELS[r]),
    active: u.active,
    pendingRoles,
    lockedUntil: locked && u.lockedUntil ? u.lockedUntil.toISOString() : null,
    orgUnitId: u.orgUnitId,
    orgUnit: u.orgUnit ? mapOrgUnit(u.orgUnit) : null,
    createdAt: u.createdAt.toISOString(),
  };
}
