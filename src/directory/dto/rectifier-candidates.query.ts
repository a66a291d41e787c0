import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class RectifierCandidatesQuery {
  /** 问题 id：候选人按该问题所在乡镇排列 */
  @IsUUID()
  itemId!: string;

  /** 上报（ESCALATE）时的上报单位：候选人只限该县直部门（或县巩固办） */
  @IsOptional()
  @IsUUID()
  toOrgUnitId?: string;

  /** 按姓名或用户名筛选 */
  @IsOptional()
  @IsString()
  @MaxLength(50)
  q?: string;
}

export class RecordingUnitsQuery {
  /** 专项行动 id：乡镇的专项行动只含该乡镇的单位 */
  @IsOptional()
  @IsUUID()
  campaignId?: string;
}
