import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class NoticeReplyDto {
  /** 回复内容（整改落实情况） */
  @IsString()
  @IsNotEmpty({ message: 'text 不能为空' })
  @MaxLength(4000)
  text!: string;
}
