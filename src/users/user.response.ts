import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../auth/roles';
import { OrgUnitResponse } from '../orgs/org-unit.response';

// Enums are listed explicitly: the swagger plugin lists a union's members in the type checker's order, which differs between builds.

export class UserResponse {
  id!: string;
  username!: string;
  displayName!: string;
  phone!: string | null;
  @ApiProperty({ enum: ROLES, isArray: true })
  roles!: Role[];
  /** Chinese names of `roles`, in the same order. */
  roleLabels!: string[];
  active!: boolean;
  /** Roles proposed for the user and waiting for a security admin's approval (role grants). */
  @ApiProperty({ enum: ROLES, isArray: true })
  pendingRoles!: Role[];
  /** Until when the account is locked after failed logins; null when it is not locked now. */
  lockedUntil!: string | null;
  orgUnitId!: string;
  orgUnit!: OrgUnitResponse | null;
  createdAt!: string;
}

/** A user as other records name them. */
export class UserRefResponse {
  id!: string;
  /** The user's display name (姓名). */
  name!: string;
}
