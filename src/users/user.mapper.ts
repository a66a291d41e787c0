import { ROLE_LABELS, Role } from '../auth/roles';
import { mapOrgUnit, OrgUnitResponse } from '../orgs/org-unit.mapper';
import { User } from './user.entity';

export interface UserResponse {
  id: string;
  username: string;
  displayName: string;
  phone: string | null;
  roles: Role[];
  roleLabels: string[];
  active: boolean;
  orgUnit: OrgUnitResponse | null;
  orgUnitId: string;
  createdAt: string;
}

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
