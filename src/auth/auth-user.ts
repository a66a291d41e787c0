import type { OrgUnitKind } from '../orgs/org-unit.entity';
import type { Role } from './roles';

/** The authenticated caller as guards and services see it (request.user). */
export interface AuthUser {
  id: string;
  countyId: string;
  username: string;
  displayName: string;
  roles: Role[];
  orgUnitId: string;
  orgUnitKind: OrgUnitKind;
  orgUnitName: string;
  /** Materialised path of the user's org unit, `/<county>/<township>/…/`. */
  orgUnitPath: string;
}

export function hasRole(user: AuthUser, ...roles: Role[]): boolean {
  return user.roles.some((r) => roles.includes(r));
}
