import { ROLE_LABELS } from '../auth/roles';
import { mapOrgUnit } from '../orgs/org-unit.mapper';
import { User } from './user.entity';
import { UserResponse } from './user.response';

export function mapUser(u: User): UserResponse {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    phone: u.phone,
    roles: u.roles,
    roleLabels: u.roles.map((r) => ROLE_LABELS[r]),
    active: u.active,
    orgUnitId: u.orgUnitId,
    orgUnit: u.orgUnit ? mapOrgUnit(u.orgUnit) : null,
    createdAt: u.createdAt.toISOString(),
  };
}
