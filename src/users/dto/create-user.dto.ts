import { IsArray, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { Role, ROLES } from '../../auth/roles';

// The password policy (length, character classes, not the username, not a common
// password, no control characters) is checked by PasswordPolicy in the service:
// it needs the county's policy and the shipped list of common passwords.

export class CreateUserDto {
  /** Login name: letters, digits, dot, dash, underscore. */
  @Matches(/^[A-Za-z0-9._-]{2,64}$/, { message: 'username 只能由 2–64 位字母、数字、点、横线或下划线组成' })
  username!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  displayName!: string;

  @IsOptional()
  @Matches(/^1[3-9][0-9]{9}$/, { message: 'phone 必须是 11 位手机号码' })
  phone?: string;

  @IsUUID()
  orgUnitId!: string;

  /**
   * Roles the admin asks for (三权分立): the account is created without roles,
   * and each of these becomes a role grant waiting for a security admin's
   * approval. They must fit the unit, and admin, security_admin and auditor
   * stand alone.
   */
  @IsOptional()
  @IsIn(ROLES, { each: true })
  @IsArray()
  roles?: Role[];

  /** Initial password: must satisfy the county's password policy; the user must change it at first login. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password!: string;
}

export class ResetPasswordDto {
  /** New password: must satisfy the county's password policy; the user must change it at next login. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password!: string;
}

/** What an admin may change of an account (roles are the security admin's: PUT /api/users/:id/roles). Absent fields stay as they are. */
export class UpdateUserDto {
  // ValidateIf rather than IsOptional: null is not "absent" here (IsOptional would let it through to a NOT NULL column).
  @ValidateIf((_, v) => v !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  displayName?: string;

  /** null clears it. */
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @Matches(/^1[3-9][0-9]{9}$/, { message: 'phone 必须是 11 位手机号码' })
  phone?: string | null;

  /** Moving to another unit: the user's roles must fit it (a security admin changes them first otherwise). */
  @ValidateIf((_, v) => v !== undefined)
  @IsUUID()
  orgUnitId?: string;
}
