import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Starting an enrolment; only replacing an active authenticator takes a code. */
export class StartTotpEnrolmentDto {
  /** 已启用双因素认证时（更换验证器）须提供：当前验证器的 6 位动态验证码，或一个恢复码 */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  code?: string;
}

export class ConfirmTotpDto {
  /** 新绑定的验证器当前显示的 6 位动态验证码 */
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code须为 6 位数字' })
  code!: string;
}

/** Proof of holding the second factor: six digits are a TOTP code, anything else is read as a recovery code. */
export class TotpCodeDto {
  /** 6 位动态验证码，或一个恢复码 */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  code!: string;
}

export class DisableTotpDto {
  /** 登录密码 */
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password!: string;

  /** 6 位动态验证码，或一个恢复码 */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  code!: string;
}
