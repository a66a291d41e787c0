import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsCalendarDate } from '../../common/validation/calendar-date.validator';

export class StatsQuery {
  /** Group by the villages of this township instead of by township. */
  @IsOptional()
  @IsUUID()
  townshipId?: string;
}

export class SeriesQuery extends StatsQuery {
  /** day: 每天上报进度; week: 每周五上报台账; half_month: 半月报 (the 15th and the month's last day); month: 月报 (the month's last day) */
  @IsOptional()
  @IsIn(['day', 'week', 'half_month', 'month'], { message: 'interval 须为 day、week、half_month 或 month' })
  interval?: 'day' | 'week' | 'half_month' | 'month';

  @IsOptional()
  @IsCalendarDate({ message: 'from 必须是存在的日期（YYYY-MM-DD）' })
  from?: string;

  @IsOptional()
  @IsCalendarDate({ message: 'to 必须是存在的日期（YYYY-MM-DD）' })
  to?: string;
}

export class RankingQuery {
  /** First day of the period (月考评); items settled before it are left out. */
  @IsOptional()
  @IsCalendarDate({ message: 'from 必须是存在的日期（YYYY-MM-DD）' })
  from?: string;

  /** Last day of the period; figures are as of its end (default today). */
  @IsOptional()
  @IsCalendarDate({ message: 'to 必须是存在的日期（YYYY-MM-DD）' })
  to?: string;
}

export class CreateNoticeDto {
  /** A township or a county department. */
  @IsUUID()
  recipientOrgUnitId!: string;

  /** 限期整改完成的日期 */
  @IsCalendarDate({ message: 'deadline 必须是存在的日期（YYYY-MM-DD）' })
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
