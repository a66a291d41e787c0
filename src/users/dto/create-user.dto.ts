import { ArrayNotEmpty, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { Role, ROLES } from '../../auth/roles';

// The password policy (length, character classes, not the username, not a common
// password, no control characters) is checked by PasswordPolicy in the service:
// it needs the configuration and the shipped list of common passwords.

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

  @IsArray()
  @ArrayNotEmpty()
  @IsIn(ROLES, { each: true })
  roles!: Role[];

  /** Initial password: must satisfy the password policy; the user must change it at first login. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password!: string;
}

export class ResetPasswordDto {
  /** New password: must satisfy the password policy; the user must change it at next login. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password!: string;
}
