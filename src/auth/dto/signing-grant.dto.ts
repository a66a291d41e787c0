import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class SigningGrantDto {
  /** 登录密码（签字前再次验证身份） */
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password!: string;
}
