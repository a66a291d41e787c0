import type { OrgUnitKind } from '../orgs/org-unit.entity';
import type { User } from '../users/user.entity';
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
  /** When the password was set and whether it was flagged for change (an admin gave it); PasswordPolicy decides whether it must be changed now. */
  credential: { changedAt: Date; mustChange: boolean };
  /** The session of the access token the request came with (absent at login, before there is one). */
  sessionId?: string;
}

export function hasRole(user: AuthUser, ...roles: Role[]): boolean {
  return user.roles.some((r) => roles.includes(r));
}

/** The caller as guards and services see them, from a user row loaded with its org unit. */
export function toAuthUser(u: User): AuthUser {
  if (!u.orgUnit) throw new Error('user loaded without its org unit');
  return {
    id: u.id,
    countyId: u.countyId,
    username: u.username,
    displayName: u.displayName,
    roles: u.roles,
    orgUnitId: u.orgUnitId,
    orgUnitKind: u.orgUnit.kind,
    orgUnitName: u.orgUnit.name,
    orgUnitPath: u.orgUnit.path,
    credential: { changedAt: u.passwordChangedAt, mustChange: u.passwordChangeRequired },
  };
}
