import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../auth/roles';
import { ROLE_GRANT_STATUSES, type RoleGrantStatus } from '../users/role-grant.entity';

// Enums are listed explicitly: the swagger plugin lists a union's members in the type checker's order, which differs between builds.

/** A person named in a role grant. */
export class RoleGrantPersonResponse {
  id!: string;
  username!: string;
  displayName!: string;
}

export class RoleGrantResponse {
  id!: string;
  /** Who would receive the role. */
  user!: RoleGrantPersonResponse;
  @ApiProperty({ enum: ROLES })
  role!: Role;
  roleLabel!: string;
  /** pending 待批准, approved 已批准, rejected 已驳回. */
  @ApiProperty({ enum: ROLE_GRANT_STATUSES })
  status!: RoleGrantStatus;
  statusLabel!: string;
  /** The admin who proposed it. */
  proposedBy!: RoleGrantPersonResponse;
  proposedAt!: string;
  reason!: string | null;
  /** The security admin who approved or rejected it; null while pending. */
  decidedBy!: RoleGrantPersonResponse | null;
  decidedAt!: string | null;
  /** The approval comment or the reason for rejecting. */
  decisionComment!: string | null;
}

export class PasswordPolicyResponse {
  /** Minimum length. */
  minLength!: number;
  /** Of upper case, lower case, digits, symbols: 3 or 4. */
  minCharClasses!: number;
  /** Days after which a password must be changed (0: never, possible in the configured defaults only). */
  maxAgeDays!: number;
  /** Recent passwords (the current one included) a change may not reuse. */
  historySize!: number;
  /** `default`: the configured defaults (the county has set nothing); `county`: set by a security admin. */
  @ApiProperty({ enum: ['default', 'county'] })
  source!: 'default' | 'county';
  updatedAt!: string | null;
  /** The security admin who last set it. */
  updatedBy!: string | null;
  /** The rules as users read them. */
  rules!: string[];
}
