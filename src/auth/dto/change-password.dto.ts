import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ChangePasswordDto {
  /** 当前密码 */
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  currentPassword!: string;

  /** 新密码：须符合密码策略，且不能与最近使用过的密码相同 */
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  newPassword!: string;
}
