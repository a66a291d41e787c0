import { ApiProperty } from '@nestjs/swagger';
import { ORG_UNIT_KINDS, type OrgUnitKind } from '../orgs/org-unit.entity';
import { OrgUnitResponse } from '../orgs/org-unit.response';
import { ROLES, type Role } from './roles';

// Enums are listed explicitly: the swagger plugin lists a union's members in the type checker's order, which differs between builds.

/** Login and refresh. */
export class TokenResponse {
  accessToken!: string;
  /** Absent when the client asked for `refreshTokenIn: 'cookie'`: the token is then only in the httpOnly cookie. */
  refreshToken?: string;
  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';
  /** Lifetime of the access token in seconds. */
  expiresIn!: number;
}

/** A signing grant: sent as X-Signing-Grant with every signed request of the same session until it expires. */
export class SigningGrantResponse {
  grant!: string;
  /** When the grant ends (the service's clock). */
  expiresAt!: Date;
  /** Seconds until it ends: time it by this rather than by the device's clock. */
  expiresIn!: number;
}

export class CurrentOrgUnitResponse {
  id!: string;
  @ApiProperty({ enum: ORG_UNIT_KINDS })
  kind!: OrgUnitKind;
  name!: string;
}

export class CurrentUserResponse {
  id!: string;
  username!: string;
  displayName!: string;
  @ApiProperty({ enum: ROLES, isArray: true })
  roles!: Role[];
  /** Chinese names of `roles`, in the same order. */
  roleLabels!: string[];
  orgUnit!: CurrentOrgUnitResponse;
  countyId!: string;
  /** The password expired or was given by an admin: every other call answers 403 PASSWORD_CHANGE_REQUIRED until POST /api/auth/change-password. */
  passwordChangeRequired!: boolean;
  /** The password policy as users read it (Chinese), for the change-password form. */
  passwordRules!: string[];
  /** A second factor (TOTP) is on: logins take a code after the password. */
  totpEnabled!: boolean;
  /** The role requires a second factor and none is enrolled: every other call answers 403 TOTP_ENROLMENT_REQUIRED until POST /api/auth/totp/confirm. */
  totpEnrolmentRequired!: boolean;
}

/** The org units the caller may see (GET /api/auth/scope). */
export class ScopeResponse {
  wholeCounty!: boolean;
  orgUnits!: OrgUnitResponse[];
  /** County departments whose assigned items the caller also sees. */
  departmentIds!: string[];
}

/** One of my sessions (GET /api/auth/sessions): a login and where it came from. */
export class SessionResponse {
  id!: string;
  /** When the login happened. */
  createdAt!: string;
  /** Last request made with it (recorded at most once a minute). */
  lastSeenAt!: string;
  /** When it ends however active (SESSION_MAX_HOURS after login); it ends earlier after SESSION_IDLE_MINUTES without use. */
  expiresAt!: string;
  userAgent!: string | null;
  ip!: string | null;
  /** The session of the access token this request was made with. */
  current!: boolean;
}
