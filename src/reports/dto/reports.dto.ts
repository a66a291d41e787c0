import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class StatsQuery {
  /** Group by the villages of this township instead of by township. */
  @IsOptional()
  @IsUUID()
  townshipId?: string;
}

export class SeriesQuery extends StatsQuery {
  /** day: 每天上报进度; week: 每周五上报台账 */
  @IsOptional()
  @IsIn(['day', 'week'])
  interval?: 'day' | 'week';

  @IsOptional()
  @Matches(DATE, { message: 'from 必须是 YYYY-MM-DD 格式的日期' })
  from?: string;

  @IsOptional()
  @Matches(DATE, { message: 'to 必须是 YYYY-MM-DD 格式的日期' })
  to?: string;
}

export class RankingQuery {
  /** First day of the period (月考评); items settled before it are left out. */
  @IsOptional()
  @Matches(DATE, { message: 'from 必须是 YYYY-MM-DD 格式的日期' })
  from?: string;

  /** Last day of the period; figures are as of its end (default today). */
  @IsOptional()
  @Matches(DATE, { message: 'to 必须是 YYYY-MM-DD 格式的日期' })
  to?: string;
}

export class CreateNoticeDto {
  /** A township or a county department. */
  @IsUUID()
  recipientOrgUnitId!: string;

  /** 限期整改完成的日期 */
  @Matches(DATE, { message: 'deadline 必须是 YYYY-MM-DD 格式的日期' })
  deadline!: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  note?: string;
}

export class FileSummaryReportDto {
  /** 总结报告正文 */
  @IsString()
  @IsNotEmpty()
  @MaxLength(50000)
  text!: string;
}
