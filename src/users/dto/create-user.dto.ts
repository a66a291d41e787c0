import { ArrayNotEmpty, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { Role, ROLES } from '../../auth/roles';

export const PASSWORD_RULE = /^(?=.*[A-Za-z])(?=.*[0-9]).{8,128}$/;
export const PASSWORD_MESSAGE = 'password 至少 8 位，且须同时包含字母和数字';

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

  @IsString()
  @MinLength(8)
  @Matches(PASSWORD_RULE, { message: PASSWORD_MESSAGE })
  password!: string;
}

export class ResetPasswordDto {
  @IsString()
  @Matches(PASSWORD_RULE, { message: PASSWORD_MESSAGE })
  password!: string;
}
