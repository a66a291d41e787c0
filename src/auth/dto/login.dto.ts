import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/**
 * Where the refresh token travels. `body` (the default) is for API clients that
 * keep it themselves; `cookie` is for the web console: the token is set as an
 * httpOnly, SameSite=Strict cookie that page scripts cannot read and is left
 * out of the JSON.
 */
export const REFRESH_TRANSPORTS = ['body', 'cookie'] as const;
export type RefreshTransport = (typeof REFRESH_TRANSPORTS)[number];

export class LoginDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  username!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password!: string;

  /** 刷新令牌的返回方式：body（默认，JSON 中返回）或 cookie（控制台使用：httpOnly Cookie，JSON 中不返回） */
  @IsOptional()
  @IsIn(REFRESH_TRANSPORTS)
  refreshTokenIn?: RefreshTransport;

  /** 动态验证码：已启用双因素认证的账号，密码之外须提供身份验证器显示的 6 位数字（或 recoveryCode）；未提供时返回 401 TOTP_REQUIRED */
  @IsOptional()
  @IsString()
  @Matches(/^\d{6}$/, { message: 'totpCode须为 6 位数字' })
  totpCode?: string;

  /** 恢复码：手机不在身边时代替 totpCode，每个只能用一次 */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  recoveryCode?: string;
}

/** Refresh and logout take the token from the body, or from the console's cookie when the body has none. */
export class RefreshDto {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  refreshToken?: string;
}
