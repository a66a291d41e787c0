import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class RectifierCandidatesQuery {
  /** 问题 id：候选人按该问题所在乡镇排列 */
  @IsUUID()
  itemId!: string;

  /** 按姓名或用户名筛选 */
  @IsOptional()
  @IsString()
  @MaxLength(50)
  q?: string;
}
